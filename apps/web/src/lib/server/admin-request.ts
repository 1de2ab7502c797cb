import "server-only";

import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { ROUTE_HEADERS } from "@/lib/routing";

/** /admin-console is reached only through the proxy's rewrite of the admin host; anything else is a 404. */
export async function assertAdminRequest(): Promise<void> {
  if ((await headers()).get(ROUTE_HEADERS.area) !== "admin") notFound();
}
