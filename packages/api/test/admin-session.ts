import { hashPassword, systemAdminModel, type SystemAdminRow } from "@sigil/db";
import { call, cookieFrom, type CallOptions, type CallResult } from "./harness.ts";

export const ADMIN_HOST = "admin.localhost";

/** A system administrator signed in on the admin host, and a caller with its cookie. */
export interface AdminSession {
  admin: SystemAdminRow;
  cookie: string;
  call<T>(type: "query" | "mutation", path: string, input?: unknown, options?: CallOptions): Promise<CallResult<T>>;
}

export async function signInSystemAdmin(email = "root@sigil.test", password = "admin-password-for-tests"): Promise<AdminSession> {
  const admin = await systemAdminModel.create({ email, name: "Root", passwordHash: await hashPassword(password) });
  const login = await call("mutation", "admin.login", { email, password }, { host: ADMIN_HOST });
  if (login.error) throw new Error(`admin login failed: ${login.error.message}`);
  const cookie = cookieFrom(login.setCookies, "sigil_admin_session");
  return { admin, cookie, call: (type, path, input, options = {}) => call(type, path, input, { host: ADMIN_HOST, cookie, ...options }) };
}

export function ok<T>(result: CallResult<T>): T {
  if (result.error !== undefined || result.data === undefined) {
    throw new Error(`expected success, got ${result.status}: ${result.error?.message ?? "no data"}`);
  }
  return result.data;
}
