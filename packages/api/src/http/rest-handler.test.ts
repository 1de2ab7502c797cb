import { describe, expect, test } from "vitest";
import { matchRestRoute, restProcedureLabel, restTarget } from "./rest-handler.ts";

describe("REST routing", () => {
  test("REST paths, on a host or under a workspace prefix; tRPC and pages are not", () => {
    expect(restTarget("/api/v1/prompts")).toEqual({ prefix: "", route: "/prompts" });
    expect(restTarget("/tenant/acme/api/v1/files/x/content")).toEqual({ prefix: "/tenant/acme", route: "/files/x/content" });
    expect(restTarget("/api/v1")).toEqual({ prefix: "", route: "/" });
    expect(restTarget("/api/trpc/prompts.list")).toBeNull();
    expect(restTarget("/api/v10/prompts")).toBeNull();
    expect(restTarget("/prompts")).toBeNull();
  });

  test("a route is found by method and path; a known path with another method is told apart from an unknown one", () => {
    expect(matchRestRoute("GET", "/prompts/0b7e0f4e-8d4b-4d7a-9a53-1f0e2a3b4c5d")).toMatchObject({ procedure: "prompts.get" });
    expect(matchRestRoute("post", "/deployments/support-bot/run")).toMatchObject({ procedure: "deployments.run" });
    expect(matchRestRoute("DELETE", "/prompts")).toBe("method");
    expect(matchRestRoute("GET", "/nothing")).toBeNull();
  });

  test("metrics label REST calls by their procedure, anything else as unknown (bounded labels)", () => {
    expect(restProcedureLabel("GET", "/tenant/acme/api/v1/executions")).toBe("executions.list");
    expect(restProcedureLabel("POST", "/api/v1/executions")).toBe("executions.create");
    expect(restProcedureLabel("GET", "/api/v1/openapi.json")).toBe("rest.openapi");
    expect(restProcedureLabel("GET", "/api/v1/whatever/123")).toBe("unknown");
  });
});
