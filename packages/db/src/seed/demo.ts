import { hashPassword, verifyPassword } from "../credentials.ts";
import { deploymentModel } from "../models/deployment.ts";
import { promptModel } from "../models/prompt.ts";
import { systemAdminModel } from "../models/system-admin.ts";
import { tenantModel, type NewTenant } from "../models/tenant.ts";
import { userModel } from "../models/user.ts";
import type { DemoSettings } from "../settings.ts";
import { tenantContext } from "../tenant-context.ts";

export interface DemoTenant {
  tenant: NewTenant;
  owner: { email: string; name: string; password: string };
  prompts: { name: string; description: string; template: string }[];
}

/** The demo data; README.md lists these logins. Change both together. */
export const DEMO_TENANTS: DemoTenant[] = [
  {
    tenant: {
      name: "Acme Corporation",
      slug: "acme",
      plan: "pro",
      settings: { features: ["deployments", "files"], limits: { users: 25, storage: 500, executions_per_month: 10_000 } },
    },
    owner: { email: "owner@acme.test", name: "Ada Acme", password: "acme-demo-password" },
    prompts: [
      {
        name: "Support reply",
        description: "Answer a customer politely",
        template: "Dear {{customer}},\n\nThank you for writing about {{topic}}. {{answer}}\n\nKind regards,\nAcme Support",
      },
      { name: "Release notes", description: "Summarize changes for users", template: "Release {{version}}:\n{{#changes}}- {{.}}\n{{/changes}}" },
    ],
  },
  {
    tenant: {
      name: "Globex Inc.",
      slug: "globex",
      plan: "free",
      settings: { features: [], limits: { users: 5, storage: 100, executions_per_month: 1_000 } },
    },
    owner: { email: "owner@globex.test", name: "Hank Globex", password: "globex-demo-password" },
    prompts: [{ name: "Product pitch", description: "One-line pitch", template: "{{product}}: the {{adjective}} way to {{goal}}." }],
  },
];

export const DEMO_ADMIN = { email: "admin@sigil.test", name: "Sigil Admin", password: "sigil-admin-password" };

/**
 * Creates whatever of the demo is missing and says what it did (`pnpm db:seed`, or a start that
 * decided to seed: see prepareDemoOnStart).
 */
export async function seedDemo({ adminFromEnvironment }: Pick<DemoSettings, "adminFromEnvironment">): Promise<string[]> {
  const lines: string[] = [];
  // An administrator configured by SIGIL_ADMIN_EMAIL is created by `admin:bootstrap` instead.
  if (adminFromEnvironment) {
    lines.push("system admin: from SIGIL_ADMIN_EMAIL (admin:bootstrap)");
  } else if ((await systemAdminModel.count()) > 0) {
    lines.push("system admin exists");
  } else {
    await systemAdminModel.create({ email: DEMO_ADMIN.email, name: DEMO_ADMIN.name, passwordHash: await hashPassword(DEMO_ADMIN.password) });
    lines.push(`system admin created: ${DEMO_ADMIN.email}`);
  }
  for (const demo of DEMO_TENANTS) {
    const existing = await tenantModel.findBySlug(demo.tenant.slug);
    if (existing) {
      lines.push(`tenant ${demo.tenant.slug} exists`);
      continue;
    }
    const tenant = await tenantModel.createTenant(demo.tenant);
    const passwordHash = await hashPassword(demo.owner.password);
    await tenantContext.runWithTenant(tenant.id, async () => {
      const owner = await userModel.create({ email: demo.owner.email, name: demo.owner.name, role: "admin", status: "active", passwordHash });
      for (const prompt of demo.prompts) {
        const created = await promptModel.create({ ...prompt, createdBy: owner.id });
        if (prompt === demo.prompts[0]) {
          await deploymentModel.create({
            name: `${demo.tenant.slug}-default`,
            promptId: created.id,
            provider: "template",
            model: "mustache",
            createdBy: owner.id,
          });
        }
      }
    });
    lines.push(`tenant ${demo.tenant.slug} created: owner ${demo.owner.email}`);
  }
  return lines;
}

/** No tenant and no system administrator: a fresh installation. */
export async function isEmptyInstallation(): Promise<boolean> {
  return (await tenantModel.count()) === 0 && (await systemAdminModel.count()) === 0;
}

/** The demo accounts that still sign in with their published password, as `email / password`. */
export async function demoLoginsInUse(): Promise<string[]> {
  const logins: string[] = [];
  const admin = await systemAdminModel.findByEmail(DEMO_ADMIN.email);
  if (admin && (await verifyPassword(DEMO_ADMIN.password, admin.passwordHash))) logins.push(`${DEMO_ADMIN.email} / ${DEMO_ADMIN.password} (admin)`);
  for (const demo of DEMO_TENANTS) {
    const tenant = await tenantModel.findBySlug(demo.tenant.slug);
    if (!tenant) continue;
    const owner = await tenantContext.runWithTenant(tenant.id, () => userModel.findByEmail(demo.owner.email));
    if (owner?.status === "active" && owner.passwordHash && (await verifyPassword(demo.owner.password, owner.passwordHash))) {
      logins.push(`${demo.owner.email} / ${demo.owner.password} (${demo.tenant.slug})`);
    }
  }
  return logins;
}

export interface DemoStartReport {
  lines: string[];
  warnings: string[];
  /** Set when start must not go on: a public domain while demo passwords still sign in. */
  refusal: string | undefined;
}

/**
 * What `pnpm start` does about the demo (README: Demo tenants and logins):
 * - SIGIL_DEMO=0: never seeds; SIGIL_DEMO=1: seeds what is missing, on any domain;
 * - unset: seeds only an empty installation (no tenant, no administrator) on ROOT_DOMAIN=localhost
 *   when no SIGIL_ADMIN_EMAIL is set, so a fresh clone shows the demo and nothing else gets it;
 * - on a ROOT_DOMAIN other than localhost, refuses to start while a demo account still signs in
 *   with its published password, unless SIGIL_DEMO=1.
 * Whenever demo passwords work, the warning names them.
 */
export async function prepareDemoOnStart(settings: DemoSettings & { rootDomain: string }): Promise<DemoStartReport> {
  const report: DemoStartReport = { lines: [], warnings: [], refusal: undefined };
  const local = settings.rootDomain === "localhost";
  if (settings.mode === "off") {
    report.lines.push("SIGIL_DEMO=0: the demo is not seeded");
  } else if (settings.mode === "on") {
    report.lines.push(...(await seedDemo(settings)));
  } else if (settings.adminFromEnvironment) {
    report.lines.push("SIGIL_ADMIN_EMAIL is set: the demo is not seeded");
  } else if (!(await isEmptyInstallation())) {
    report.lines.push("existing installation: the demo is not seeded");
  } else if (!local) {
    report.warnings.push(
      `ROOT_DOMAIN=${settings.rootDomain}: the demo (public passwords) is not seeded outside localhost. Set SIGIL_ADMIN_EMAIL ` +
        "and SIGIL_ADMIN_PASSWORD to create the system administrator.",
    );
  } else {
    report.lines.push(...(await seedDemo(settings)));
  }
  const logins = await demoLoginsInUse();
  if (logins.length === 0) return report;
  if (!local && settings.mode !== "on") {
    report.refusal =
      `ROOT_DOMAIN=${settings.rootDomain} is not localhost, but these demo accounts still sign in with their published ` +
      `passwords: ${logins.join(", ")}. Change their passwords or delete the demo tenants and administrator, or set ` +
      "SIGIL_DEMO=1 to serve the demo on purpose.";
  } else {
    report.warnings.push(`Demo accounts with PUBLIC passwords (anyone who reaches this server can sign in): ${logins.join(", ")}.`);
  }
  return report;
}
