import { API_KEY_SCOPES } from "@sigil/validators";
import { describe, expect, test } from "vitest";
import { restExample } from "./rest-example";

const BASE = "http://acme.localhost:3000/api/v1";

describe("restExample", () => {
  test("reads prompts when the key may", () => {
    expect(restExample(BASE, "sgl_x", ["executions:run", "prompts:read"])).toBe(`curl -H "Authorization: Bearer sgl_x" \\\n  ${BASE}/prompts`);
  });

  test("every scope gets a command with the key, for a route under the base", () => {
    for (const scope of API_KEY_SCOPES) {
      const command = restExample(BASE, "sgl_y", [scope]);
      expect(command, scope).toContain('-H "Authorization: Bearer sgl_y"');
      expect(command, scope).toMatch(/http:\/\/acme\.localhost:3000\/api\/(v1|trpc)\//);
    }
  });

  test("a preview-only key gets the tRPC call, which has no REST route", () => {
    expect(restExample(`http://localhost:3000/tenant/acme/api/v1`, "sgl_z", ["prompts:preview"])).toContain(
      "http://localhost:3000/tenant/acme/api/trpc/prompts.preview",
    );
  });
});
