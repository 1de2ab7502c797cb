import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { SESSION_COOKIE } from "../auth/cookies.ts";
import { appRouter } from "../root.ts";

/** Where the REST API lives, on a workspace's host or under its path prefix (`/tenant/<slug>/api/v1`). */
export const REST_PREFIX = "/api/v1";
export const OPENAPI_PATH = "/openapi.json";

type Operation = NonNullable<OpenAPIObject["paths"]>[string]["get"] & object;
interface ResponseObject {
  content?: Record<string, { schema: Schema }>;
}
const METHODS = ["get", "post", "put", "patch", "delete"] as const;
export type RestMethod = (typeof METHODS)[number];

const DESCRIPTION = `The workspace API for programs in any language: the same procedures as the tRPC API the web app uses, as JSON over HTTP.

**Workspace.** A request names its workspace by its host (\`acme.example.com\`), the \`x-tenant-id\` header (slug or id), or the path prefix \`/tenant/<slug>/api/v1\`. Two that disagree are a 400.

**Authentication.** An API key of the workspace (Settings → API keys) as \`Authorization: Bearer sgl_…\` (or \`x-api-key\`), with the scope the operation names. A signed-in browser session works too; its POST requests must come from the same origin.

**Errors.** Every error answers JSON \`{ "code": "NOT_FOUND", "message": "…" }\` with the HTTP status of the code; invalid input adds \`issues\` (each with \`path\` and \`message\`), a used-up quota \`data.quota\`, maintenance \`data.maintenance\`. 429 and 503 send \`Retry-After\`.

**Values.** Dates are ISO 8601 strings (UTC). Files travel as JSON with their bytes in base64 (\`contentBase64\`).`;

type Schema = NonNullable<NonNullable<OpenAPIObject["components"]>["schemas"]>[string];

const ERROR_SCHEMA: Schema = {
  type: "object",
  description: "An error: a stable code (tRPC's error code, matching the HTTP status) and a sentence for people.",
  properties: {
    code: {
      type: "string",
      description: "BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, PAYLOAD_TOO_LARGE, TOO_MANY_REQUESTS, SERVICE_UNAVAILABLE, …",
    },
    message: { type: "string" },
    issues: {
      type: "array",
      description: "For invalid input: what is wrong, field by field.",
      items: {
        type: "object",
        properties: { path: { type: "array", items: { type: ["string", "number"] } }, message: { type: "string" } },
        required: ["message"],
      },
    },
    data: {
      type: "object",
      description: "Details: httpStatus, quota (resource, limit, current), maintenance (reason, expected end), tenantStatus.",
      additionalProperties: true,
    },
  },
  required: ["code", "message"],
  additionalProperties: true,
};

/** The document without servers, generated once from the routers' meta and zod schemas. */
let generated: OpenAPIObject | undefined;

function generate(): OpenAPIObject {
  const document = generateOpenApiDocument(appRouter, {
    title: "Sigil REST API",
    version: "1.0.0",
    description: DESCRIPTION,
    baseUrl: REST_PREFIX,
    tags: ["prompts", "executions", "deployments", "files"],
    securitySchemes: {
      apiKey: { type: "http", scheme: "bearer", description: "An API key of the workspace: `Authorization: Bearer sgl_…`." },
      apiKeyHeader: { type: "apiKey", in: "header", name: "x-api-key", description: "The same API key in the x-api-key header." },
      session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE, description: "A signed-in session of the web app (same-origin POSTs only)." },
    },
  });
  const components = (document.components ??= {});
  components.parameters = {
    tenant: {
      name: "x-tenant-id",
      in: "header",
      required: false,
      description: "The workspace (slug or id), when the host or the path prefix does not name it.",
      schema: { type: "string" },
    },
  };
  // The generator describes errors as { message, code, issues }; Sigil's also carry `data`.
  components.schemas = { ...Object.fromEntries(Object.entries(components.schemas ?? {}).filter(([name]) => !name.startsWith("error."))), Error: ERROR_SCHEMA };
  for (const operation of operations(document)) {
    operation.parameters = [...(operation.parameters ?? []), { $ref: "#/components/parameters/tenant" }];
    const responses: Record<string, ResponseObject> = operation.responses ?? {};
    for (const [status, response] of Object.entries(responses)) {
      if (status !== "200") response.content = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };
    }
  }
  return document;
}

function operations(document: OpenAPIObject): Operation[] {
  return Object.values(document.paths ?? {}).flatMap((item) => METHODS.flatMap((method) => (item[method] ? [item[method]] : [])));
}

/**
 * The document for a caller at `origin` (scheme and host it used): its servers are that host and
 * the same host with a workspace path prefix (`defaultSlug` fills the prefix's variable).
 */
export function openApiDocument(origin: string, defaultSlug: string): OpenAPIObject {
  generated ??= generate();
  return {
    ...generated,
    servers: [
      { url: `${origin}${REST_PREFIX}`, description: "This host: a workspace's own host, or any host with the x-tenant-id header." },
      {
        url: `${origin}/tenant/{tenant}${REST_PREFIX}`,
        description: "The workspace named in the path.",
        variables: { tenant: { default: defaultSlug, description: "The workspace's slug." } },
      },
    ],
  };
}

/** One REST route: the procedure behind a method and path template, and a matcher for request paths. */
export interface RestRoute {
  method: RestMethod;
  template: string;
  procedure: string;
  pattern: RegExp;
}

let routes: RestRoute[] | undefined;

/** Every REST route of the document (the procedure is the operationId: the tRPC path with dashes). */
export function restRoutes(): readonly RestRoute[] {
  generated ??= generate();
  const document = generated;
  routes ??= Object.entries(document.paths ?? {}).flatMap(([template, item]) =>
    METHODS.flatMap((method) => {
      const operationId = item[method]?.operationId;
      if (operationId === undefined) return [];
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}/?$`, "i");
      return [{ method, template, procedure: operationId.replace(/-/g, "."), pattern }];
    }),
  );
  return routes;
}
