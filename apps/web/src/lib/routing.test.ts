import { identifyTenant } from "@sigil/api";
import { describe, expect, test } from "vitest";
import { routeRequest } from "./routing";

/** The proxy's own use: identification from host and path, never from an x-tenant-id header. */
function route(host: string, pathname: string) {
  return routeRequest(identifyTenant({ host, path: pathname, tenantHeader: null }, "localhost"), pathname);
}

describe("routeRequest", () => {
  test("the root host serves its own pages; internal routes are 404s there", () => {
    expect(route("localhost", "/")).toEqual({ kind: "pass", area: "landing" });
    expect(route("127.0.0.1", "/")).toEqual({ kind: "pass", area: "landing" });
    expect(route("www.localhost", "/")).toEqual({ kind: "pass", area: "landing" });
    expect(route("localhost", "/workspace/acme")).toEqual({ kind: "not-found", area: "landing" });
    expect(route("localhost", "/workspace")).toEqual({ kind: "not-found", area: "landing" });
    expect(route("localhost", "/admin-console/tenants")).toEqual({ kind: "not-found", area: "landing" });
    expect(route("localhost", "/workspaces-guide")).toEqual({ kind: "pass", area: "landing" });
  });

  test("the admin host maps to the admin console", () => {
    expect(route("admin.localhost", "/")).toMatchObject({ kind: "rewrite", area: "admin", pathname: "/admin-console", basePath: "" });
    expect(route("admin.localhost", "/login")).toMatchObject({ pathname: "/admin-console/login" });
    expect(route("admin.localhost", "/tenant/acme/")).toEqual({ kind: "not-found", area: "invalid" });
  });

  test("a tenant subdomain keeps its paths under the workspace route", () => {
    expect(route("acme.localhost", "/")).toEqual({ kind: "rewrite", area: "workspace", pathname: "/workspace/acme", tenant: "acme", basePath: "" });
    expect(route("acme.localhost", "/prompts/12")).toMatchObject({ pathname: "/workspace/acme/prompts/12", basePath: "" });
    // A tenant path that looks like an internal route stays inside the tenant's workspace.
    expect(route("acme.localhost", "/workspace/globex")).toMatchObject({ pathname: "/workspace/acme/workspace/globex" });
    expect(route("acme.localhost", "/admin-console")).toMatchObject({ pathname: "/workspace/acme/admin-console" });
  });

  test("the /tenant/<slug>/ prefix is stripped and becomes the base path", () => {
    expect(route("localhost", "/tenant/acme")).toMatchObject({ pathname: "/workspace/acme", tenant: "acme", basePath: "/tenant/acme" });
    expect(route("localhost", "/tenant/acme/")).toMatchObject({ pathname: "/workspace/acme", basePath: "/tenant/acme" });
    expect(route("localhost", "/tenant/acme/prompts")).toMatchObject({ pathname: "/workspace/acme/prompts", basePath: "/tenant/acme" });
    expect(route("acme.localhost", "/tenant/acme/files")).toMatchObject({ pathname: "/workspace/acme/files", basePath: "/tenant/acme" });
  });

  test("a custom domain carries the host as the segment (resolved server-side)", () => {
    expect(route("prompts.acme.test", "/prompts")).toEqual({
      kind: "rewrite",
      area: "workspace",
      pathname: "/workspace/prompts.acme.test/prompts",
      tenant: "prompts.acme.test",
      basePath: "",
    });
  });

  test("hostile hosts and slugs get the 404 page, never a cleaned-up tenant", () => {
    for (const [host, path] of [
      ["ACME_.localhost", "/"],
      ["a.b.localhost", "/"],
      ["-x.localhost", "/"],
      ["localhost", "/tenant/..%2Fetc/"],
      ["localhost", "/tenant/Acme/"],
      ["localhost", "/tenant/%ZZ/"],
      ["acme.localhost", "/tenant/globex/"],
    ] as const) {
      expect(route(host, path), `${host}${path}`).toEqual({ kind: "not-found", area: "invalid" });
    }
  });
});
