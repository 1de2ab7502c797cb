import { hostname, userInfo } from "node:os";
import type { AdminActor } from "@sigil/api";

/**
 * Who acts when the CLI changes an installation: the operator at its shell, named by OS user
 * and host in both audit logs (the CLI has the files, not an admin login).
 */
export function operator(): AdminActor {
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): the host still says where.
  }
  return { kind: "operator", name: `${user}@${hostname()}` };
}
