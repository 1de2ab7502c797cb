/**
 * The demo rules of `pnpm start` (src/seed/demo.ts, README: Demo tenants and logins).
 */
import { afterEach, describe, expect, it } from "vitest";
import { hashPassword } from "../src/credentials.ts";
import { systemAdminModel } from "../src/models/system-admin.ts";
import { tenantModel } from "../src/models/tenant.ts";
import { userModel } from "../src/models/user.ts";
import { DEMO_ADMIN, prepareDemoOnStart, seedDemo } from "../src/seed/demo.ts";
import { tenantContext } from "../src/tenant-context.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function setup() {
  cleanup = (await useTempDataDir()).cleanup;
}

const local = { mode: "auto", adminFromEnvironment: false, rootDomain: "localhost" } as const;

describe("the demo on start", () => {
  it("a fresh localhost installation gets the demo, announced with its public passwords", async () => {
    await setup();
    const report = await prepareDemoOnStart(local);
    expect(await tenantModel.count()).toBe(2);
    expect(await systemAdminModel.count()).toBe(1);
    expect(report.refusal).toBeUndefined();
    expect(report.warnings.join("\n")).toMatch(/PUBLIC passwords.*acme-demo-password.*globex-demo-password/s);
    expect(report.warnings.join("\n")).toContain("sigil-admin-password");
  }, 30_000);

  it("an installation that already has a tenant or an administrator is never seeded", async () => {
    await setup();
    await createTenants("mine");
    await prepareDemoOnStart(local);
    expect(await tenantModel.findBySlug("acme")).toBeNull();
    expect(await systemAdminModel.count()).toBe(0);
  });

  it("SIGIL_ADMIN_EMAIL set: no demo", async () => {
    await setup();
    await prepareDemoOnStart({ ...local, adminFromEnvironment: true });
    expect(await tenantModel.count()).toBe(0);
    expect(await systemAdminModel.count()).toBe(0);
  });

  it("SIGIL_DEMO=0 never seeds, even an empty installation", async () => {
    await setup();
    const report = await prepareDemoOnStart({ ...local, mode: "off" });
    expect(await tenantModel.count()).toBe(0);
    expect(report.lines.join()).toMatch(/SIGIL_DEMO=0/);
  });

  it("a public ROOT_DOMAIN does not seed an empty installation and asks for SIGIL_ADMIN_EMAIL", async () => {
    await setup();
    const report = await prepareDemoOnStart({ ...local, rootDomain: "sigil.example.com" });
    expect(await tenantModel.count()).toBe(0);
    expect(report.refusal).toBeUndefined();
    expect(report.warnings.join()).toMatch(/SIGIL_ADMIN_EMAIL/);
  });

  it("a public ROOT_DOMAIN refuses to start while a demo password signs in, unless SIGIL_DEMO=1", async () => {
    await setup();
    await seedDemo({ adminFromEnvironment: false });
    const refused = await prepareDemoOnStart({ ...local, rootDomain: "sigil.example.com" });
    expect(refused.refusal).toMatch(/ROOT_DOMAIN=sigil\.example\.com is not localhost/);
    expect(refused.refusal).toMatch(/owner@acme\.test \/ acme-demo-password/);
    expect(refused.refusal).toMatch(/SIGIL_DEMO=1/);
    const explicit = await prepareDemoOnStart({ ...local, mode: "on", rootDomain: "sigil.example.com" });
    expect(explicit.refusal).toBeUndefined();
    expect(explicit.warnings.join()).toMatch(/PUBLIC passwords/);
  }, 30_000);

  it("once every demo password is changed, a public ROOT_DOMAIN starts", async () => {
    await setup();
    await seedDemo({ adminFromEnvironment: false });
    const changed = await hashPassword("a-private-password");
    for (const slug of ["acme", "globex"]) {
      const tenant = await tenantModel.findBySlug(slug);
      if (!tenant) throw new Error(`no ${slug}`);
      await tenantContext.runWithTenant(tenant.id, async () => {
        const owner = await userModel.findByEmail(`owner@${slug}.test`);
        if (owner) await userModel.update(owner.id, { passwordHash: changed });
      });
    }
    const admin = await systemAdminModel.findByEmail(DEMO_ADMIN.email);
    if (admin) await systemAdminModel.update(admin.id, { passwordHash: changed });
    const report = await prepareDemoOnStart({ ...local, rootDomain: "sigil.example.com" });
    expect(report.refusal).toBeUndefined();
    expect(report.warnings).toEqual([]);
  }, 30_000);
});
