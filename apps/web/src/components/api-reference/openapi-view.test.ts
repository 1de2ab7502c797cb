import { describe, expect, test } from "vitest";
import { apiDocument, curlExample, operationsOf, propertyRows, typeLabel } from "./openapi-view";

const document = apiDocument.parse({
  openapi: "3.1.0",
  info: { title: "T", version: "1" },
  paths: {
    "/files/{id}/content": {
      get: {
        operationId: "files-download",
        summary: "Download",
        tags: ["files"],
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }, { $ref: "#/components/parameters/tenant" }],
        responses: { 200: { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/FileContent" } } } } },
      },
    },
    "/prompt-versions/by-name": {
      get: {
        operationId: "prompts-getByName",
        summary: "By name",
        parameters: [
          { name: "name", in: "query", required: true, schema: { type: "string" } },
          { name: "version", in: "query", required: false, schema: { type: "integer" } },
        ],
        responses: { 200: { description: "ok" } },
      },
    },
    "/executions": {
      post: {
        operationId: "executions-create",
        summary: "Create",
        requestBody: {
          content: { "application/json": { schema: { type: "object", properties: { promptId: { type: "string" } }, examples: [{ promptId: "<promptId>" }] } } },
        },
        responses: { 200: { description: "ok" } },
      },
    },
    "/files": {
      post: {
        operationId: "files-upload",
        summary: "Upload",
        requestBody: {
          content: {
            "application/json": { schema: { type: "object", properties: { name: { type: "string" }, size: { type: "integer" } }, required: ["name", "size"] } },
          },
        },
        responses: { 200: { description: "ok" } },
      },
    },
  },
  components: { parameters: { tenant: { name: "x-tenant-id", in: "header", required: false, schema: { type: "string" } } } },
});

describe("the API reference's reading of the OpenAPI document", () => {
  test("lists the operations with their $ref parameters resolved", () => {
    const views = operationsOf(document);
    expect(views.map((view) => `${view.method} ${view.path}`)).toEqual([
      "GET /files/{id}/content",
      "GET /prompt-versions/by-name",
      "POST /executions",
      "POST /files",
    ]);
    expect(views[0]?.parameters.map((parameter) => parameter.name)).toEqual(["id", "x-tenant-id"]);
    expect(views[1]?.tag).toBe("other");
  });

  test("curl examples: path and required query parameters as placeholders, the body's example or its required fields", () => {
    const [download, byName, create, upload] = operationsOf(document);
    const base = "http://acme.localhost:3000/api/v1";
    expect(download && curlExample(download, base)).toBe(`curl "${base}/files/<id>/content" \\\n  -H "Authorization: Bearer $SIGIL_API_KEY"`);
    expect(byName && curlExample(byName, base)).toContain(`"${base}/prompt-versions/by-name?name=<name>"`);
    expect(create && curlExample(create, base)).toContain(`-X POST "${base}/executions"`);
    expect(create && curlExample(create, base)).toContain(`-d '{"promptId":"<promptId>"}'`);
    expect(upload && curlExample(upload, base)).toContain(`-d '{"name":"<name>","size":1}'`);
  });

  test("types in a few words, and property rows with what is required", () => {
    expect(typeLabel({ type: "array", items: { $ref: "#/components/schemas/Execution" } })).toBe("array of Execution");
    expect(typeLabel({ anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] })).toBe("string (date-time) | null");
    expect(typeLabel({ type: ["string", "null"] })).toBe("string | null");
    expect(typeLabel({ type: "string", format: "uuid" })).toBe("string (id)");
    const rows = propertyRows({
      type: "object",
      properties: { data: { type: "array", items: { $ref: "#/x/Prompt" } }, page: { type: "integer", default: 1 } },
      required: ["data"],
    });
    expect(rows).toEqual([
      { name: "data", type: "array of Prompt", ref: "Prompt", required: true, description: "" },
      { name: "page", type: "integer", ref: null, required: false, description: "Default 1." },
    ]);
  });
});
