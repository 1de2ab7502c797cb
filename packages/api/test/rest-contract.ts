import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { default as addFormats } from "ajv-formats";
import type { OpenAPIObject } from "trpc-to-openapi";

/**
 * Checks REST answers against the OpenAPI document the server serves: the response schema of the
 * operation (method + path template) for the answer's status, with the document's components.
 * An answer with a status the operation does not document fails too.
 */
export class RestContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenAPIObject) {
    addFormats(this.ajv);
    this.ajv.addSchema({ ...document, $id: "openapi" });
  }

  /** Every documented operation as "METHOD /template". */
  operations(): string[] {
    return Object.entries(this.document.paths ?? {}).flatMap(([template, item]) =>
      (["get", "post", "put", "patch", "delete"] as const).flatMap((method) => (item[method] ? [`${method.toUpperCase()} ${template}`] : [])),
    );
  }

  /** Throws, naming the operation, status and schema errors, unless `body` fits the document. */
  check(operation: string, status: number, body: unknown): void {
    const [method = "", template = ""] = operation.split(" ");
    const responses = this.document.paths?.[template]?.[method.toLowerCase() as "get"]?.responses;
    if (!responses) throw new Error(`${operation} is not in the OpenAPI document`);
    if (!(String(status) in responses)) throw new Error(`${operation} answered ${status}, which the document does not list`);
    const pointer = `openapi#/paths/${escape(template)}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.getSchema(pointer);
      if (!validate) throw new Error(`no schema at ${pointer}`);
      this.validators.set(pointer, validate);
    }
    if (!validate(body))
      throw new Error(`${operation} ${status}: the answer does not fit the document: ${this.ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
  }
}

function escape(template: string): string {
  return template.replace(/~/g, "~0").replace(/\//g, "~1").replace(/\{/g, "%7B").replace(/\}/g, "%7D");
}
