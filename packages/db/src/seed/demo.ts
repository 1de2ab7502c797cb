import { hashPassword } from "../credentials.ts";
import { deploymentModel } from "../models/deployment.ts";
import { promptModel } from "../models/prompt.ts";
import { systemAdminModel } from "../models/system-admin.ts";
import { tenantModel, type NewTenant } from "../models/tenant.ts";
import { userModel } from "../models/user.ts";
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
      { name: "Support reply", description: "Answer a customer politely", template: "Dear {{customer}},\n\nThank you for writing about {{topic}}. {{answer}}\n\nKind regards,\nAcme Support" },
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

/** Creates whatever of the demo is missing and says what it did. */
export async function seedDemo(): Promise<string[]> {
  const lines: string[] = [];
  // An administrator configured by SIGIL_ADMIN_EMAIL is created by `admin:bootstrap` instead.
  if (process.env.SIGIL_ADMIN_EMAIL) {
    lines.push("system admin: from SIGIL_ADMIN_EMAIL (admin:bootstrap)");
  } else if ((await systemAdminModel.count()) > 0) {
    lines.push("system admin exists");
  } else {
    await systemAdminModel.create({ email: DEMO_ADMIN.email, name: DEMO_ADMIN.name, passwordHash: await hashPassword(DEMO_ADMIN.password) });
    lines.push(`system admin created: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`);
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
          await deploymentModel.create({ name: `${demo.tenant.slug}-default`, promptId: created.id, provider: "template", model: "mustache", createdBy: owner.id });
        }
      }
    });
    lines.push(`tenant ${demo.tenant.slug} created: owner ${demo.owner.email} / ${demo.owner.password}`);
  }
  return lines;
}
