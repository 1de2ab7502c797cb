import { Fragment, type ReactNode } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { curlExample, operationsOf, propertyRows, refName, typeLabel, type ApiDocument, type JsonSchema, type OperationView } from "./openapi-view";

const METHOD_TONES: Record<string, BadgeTone> = { GET: "success", POST: "brand", PUT: "warning", PATCH: "warning", DELETE: "danger" };

/** `code` and **bold** of the document's descriptions; everything else is plain text. */
function inline(text: string): ReactNode[] {
  return text.split(/(`[^`]+`|\*\*[^*]+\*\*)/g).map((part, index) => {
    if (part.startsWith("`") && part.endsWith("`"))
      return (
        <code key={index} className="rounded bg-gray-100 px-1 font-mono text-[0.85em]">
          {part.slice(1, -1)}
        </code>
      );
    if (part.startsWith("**") && part.endsWith("**"))
      return (
        <strong key={index} className="font-semibold text-gray-900">
          {part.slice(2, -2)}
        </strong>
      );
    return <Fragment key={index}>{part}</Fragment>;
  });
}

function SchemaType({ type, target }: { type: string; target: string | null }) {
  if (target === null) return <span className="font-mono text-xs text-gray-700">{type}</span>;
  return (
    <a href={`#schema-${target}`} className="font-mono text-xs text-brand-700 underline underline-offset-2 hover:text-brand-800">
      {type}
    </a>
  );
}

function PropertyTable({ caption, schema }: { caption: string; schema: JsonSchema }) {
  const rows = propertyRows(schema);
  return (
    <Table>
      <TableCaption className="font-medium text-gray-800">{caption}</TableCaption>
      <TableHeader>
        <TableRow>
          <TableHead>Field</TableHead>
          <TableHead>Type</TableHead>
          <TableHead>Description</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.name}>
            <TableCell className="font-mono text-xs whitespace-nowrap">
              {row.name}
              {row.required ? <span className="ml-1 text-red-700">required</span> : null}
            </TableCell>
            <TableCell>
              <SchemaType type={row.type} target={row.ref} />
            </TableCell>
            <TableCell className="text-gray-700">{inline(row.description)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function ParameterTable({ view }: { view: OperationView }) {
  return (
    <Table>
      <TableCaption className="font-medium text-gray-800">Parameters</TableCaption>
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>In</TableHead>
          <TableHead>Type</TableHead>
          <TableHead>Description</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {view.parameters.map((parameter) => (
          <TableRow key={`${parameter.in ?? ""}-${parameter.name ?? ""}`}>
            <TableCell className="font-mono text-xs whitespace-nowrap">
              {parameter.name}
              {parameter.required ? <span className="ml-1 text-red-700">required</span> : null}
            </TableCell>
            <TableCell className="text-xs">{parameter.in}</TableCell>
            <TableCell>
              <SchemaType type={parameter.schema ? typeLabel(parameter.schema) : "string"} target={null} />
            </TableCell>
            <TableCell className="text-gray-700">{inline(parameter.description ?? parameter.schema?.description ?? "")}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Responses({ view }: { view: OperationView }) {
  return (
    <div>
      <h4 className="text-sm font-medium text-gray-800">Responses</h4>
      <dl className="mt-2 divide-y divide-gray-100 rounded-lg border border-gray-200 text-sm">
        {Object.entries(view.operation.responses).map(([status, response]) => {
          const schema = response.content?.["application/json"]?.schema;
          const target = schema?.$ref ? refName(schema.$ref) : null;
          return (
            <div key={status} className="flex flex-col gap-1 px-4 py-2 sm:flex-row sm:gap-4">
              <dt className="w-12 shrink-0 font-mono font-semibold text-gray-900">{status}</dt>
              <dd className="min-w-0 text-gray-700">
                {response.description}
                {schema ? (
                  <>
                    {" "}
                    — <SchemaType type={typeLabel(schema)} target={target} />
                  </>
                ) : null}
              </dd>
            </div>
          );
        })}
      </dl>
    </div>
  );
}

function OperationCard({ view, baseUrl }: { view: OperationView; baseUrl: string }) {
  const { operation } = view;
  return (
    <Card id={`operation-${view.id}`} className="scroll-mt-6">
      <CardHeader>
        <CardTitle className="flex flex-wrap items-center gap-2">
          <Badge tone={METHOD_TONES[view.method] ?? "neutral"} className="font-mono">
            {view.method}
          </Badge>
          <span className="font-mono text-sm break-all">{view.path}</span>
        </CardTitle>
        <p className="text-sm font-medium text-gray-800">{operation.summary}</p>
        {operation.description ? <p className="text-sm text-gray-600">{inline(operation.description)}</p> : null}
      </CardHeader>
      <CardContent className="space-y-5">
        {view.parameters.length > 0 ? <ParameterTable view={view} /> : null}
        {view.body ? <PropertyTable caption="Request body (JSON)" schema={view.body} /> : null}
        <Responses view={view} />
        <div>
          <h4 className="text-sm font-medium text-gray-800">Example</h4>
          {/* Focusable: on a phone the command scrolls sideways, and keyboard users must reach it too. */}
          <pre
            tabIndex={0}
            aria-label={`curl example: ${view.method} ${view.path}`}
            className="mt-2 overflow-x-auto rounded-md bg-gray-900 px-3 py-2 font-mono text-xs text-gray-100 focus:outline-2 focus:outline-brand-600"
          >
            {curlExample(view, baseUrl)}
          </pre>
        </div>
      </CardContent>
    </Card>
  );
}

/**
 * The REST API's reference, rendered on the server from the OpenAPI document the API generates:
 * no script, nothing loaded from elsewhere, so it works under the pages' CSP as it is.
 * `baseUrl`: the API as the reader reaches it (this host, its workspace prefix, /api/v1).
 */
export function ApiReference({ document, baseUrl }: { document: ApiDocument; baseUrl: string }) {
  const operations = operationsOf(document);
  const tags = [...new Set(operations.map((view) => view.tag))];
  const paragraphs = (document.info.description ?? "").split(/\n\n+/);
  return (
    <div className="mx-auto max-w-5xl space-y-8 px-4 py-8 sm:px-6">
      <PageHeader
        title={`${document.info.title} reference`}
        description={
          <>
            OpenAPI {document.openapi}, version {document.info.version}. Base URL <code className="font-mono">{baseUrl}</code>; the machine-readable document is{" "}
            <a href={`${baseUrl}/openapi.json`} className="text-brand-700 underline underline-offset-2">
              openapi.json
            </a>
            .
          </>
        }
      />
      <section className="space-y-3 text-sm leading-6 text-gray-700">
        {paragraphs.map((paragraph, index) => (
          <p key={index}>{inline(paragraph)}</p>
        ))}
        <p>
          The examples read the key from <code className="font-mono">$SIGIL_API_KEY</code>: <code className="font-mono">export SIGIL_API_KEY=sgl_…</code>.
        </p>
      </section>
      <nav aria-label="Operations" className="rounded-lg border border-gray-200 bg-white p-4">
        <h2 className="text-sm font-semibold text-gray-900">Operations</h2>
        <ul className="mt-2 grid gap-1 text-sm sm:grid-cols-2">
          {operations.map((view) => (
            <li key={view.id}>
              <a href={`#operation-${view.id}`} className="text-brand-700 underline underline-offset-2 hover:text-brand-800">
                <span className="font-mono text-xs">{view.method}</span> {view.path}
              </a>{" "}
              <span className="text-gray-600">— {view.operation.summary}</span>
            </li>
          ))}
        </ul>
      </nav>
      {tags.map((tag) => (
        <section key={tag} aria-labelledby={`tag-${tag}`} className="space-y-4">
          <h2 id={`tag-${tag}`} className="text-lg font-semibold text-gray-900 capitalize">
            {tag}
          </h2>
          {operations
            .filter((view) => view.tag === tag)
            .map((view) => (
              <OperationCard key={view.id} view={view} baseUrl={baseUrl} />
            ))}
        </section>
      ))}
      <section aria-labelledby="schemas" className="space-y-4">
        <h2 id="schemas" className="text-lg font-semibold text-gray-900">
          Schemas
        </h2>
        {Object.entries(document.components.schemas).map(([name, schema]) => (
          <div key={name} id={`schema-${name}`} className="scroll-mt-6 space-y-1">
            {schema.description ? <p className="text-sm text-gray-600">{inline(schema.description)}</p> : null}
            <PropertyTable caption={name} schema={schema} />
          </div>
        ))}
      </section>
    </div>
  );
}
