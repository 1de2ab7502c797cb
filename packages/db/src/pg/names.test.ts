import { describe, expect, test } from "vitest";
import { InvalidTenantIdentifierError } from "../errors.ts";
import { InvalidPgIdentifierError, isTenantSchemaName, quoteName, tenantSchemaName } from "./names.ts";

describe("tenantSchemaName", () => {
  test("is t_ and the registry UUID without dashes", () => {
    const schema = tenantSchemaName("0b5c4a3e-1f2d-4c6b-8a9e-0123456789ab");
    expect(schema).toBe("t_0b5c4a3e1f2d4c6b8a9e0123456789ab");
    expect(isTenantSchemaName(schema)).toBe(true);
  });

  test.each(["", "public", "0B5C4A3E-1F2D-4C6B-8A9E-0123456789AB", "0b5c4a3e-1f2d-4c6b-8a9e-0123456789ab; DROP SCHEMA public", "../x"])(
    "refuses %j: only registry UUIDs become schemas",
    (value) => {
      expect(() => tenantSchemaName(value)).toThrow(InvalidTenantIdentifierError);
    },
  );

  test.each(["public", "t_0123", "t_0B5C4A3E1F2D4C6B8A9E0123456789AB", "sigil_shared", 't_0b5c4a3e1f2d4c6b8a9e0123456789ab"'])(
    "%j is not a tenant schema",
    (value) => {
      expect(isTenantSchemaName(value)).toBe(false);
    },
  );
});

describe("quoteName", () => {
  test("quotes a plain lower-case name", () => {
    expect(quoteName("role", "sigil_app")).toBe('"sigil_app"');
    expect(quoteName("table", "user")).toBe('"user"');
  });

  test.each(['a"b', "Upper", "1starts_with_digit", "with space", "semi;colon", "", "x".repeat(64)])("refuses %j with the kind named", (value) => {
    expect(() => quoteName("role", value)).toThrow(InvalidPgIdentifierError);
    expect(() => quoteName("role", value)).toThrow(/is not a valid role/);
  });
});
