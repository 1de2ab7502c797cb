import type { Metadata } from "next";
import { ApiReference } from "@/components/api-reference/api-reference";
import { apiDocument } from "@/components/api-reference/openapi-view";
import { hostApi } from "@/lib/server/host-api";
import { requestOrigin } from "@/lib/server/site-url";
import { readWorkspaceRequest } from "@/lib/server/workspace-request";

export const metadata: Metadata = { title: "REST API reference" };

/**
 * The REST API's reference for this workspace (no sign-in needed: it shows the API, not the
 * workspace's data), with its examples on the URL the reader uses, path prefix included.
 */
export default async function ApiReferencePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const request = await readWorkspaceRequest(slug);
  const origin = await requestOrigin();
  const { openApiDocument, REST_PREFIX } = hostApi();
  const document = apiDocument.parse(openApiDocument(origin, slug));
  return <ApiReference document={document} baseUrl={`${origin}${request.basePath}${REST_PREFIX}`} />;
}
