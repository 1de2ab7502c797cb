import { expect, test } from "@playwright/test";
import { createTenant, ownAddress, signInTo, trpc } from "./support";

// Issue 7, item 9: every failed sign-in appended an audit row (unbounded, unauthenticated), while
// file uploads and deletions were not audited at all.

interface AuditRow {
  action: string;
  targetId: string | null;
  details: Record<string, unknown>;
}

test("30 failed sign-ins of one email are one audit entry with the count; an upload is audited", async () => {
  const tenant = await createTenant("audit");
  const from = ownAddress();
  const owner = await signInTo(tenant, from);
  const email = `guess@${tenant.slug}.test`;
  const failures = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      trpc("mutation", "auth.login", { email, password: `wrong-password-${i}` }, { host: tenant.host, origin: tenant.origin, from }),
    ),
  );
  // 5 wrong passwords, then the lock's refusals: all are failures (none is the rate limit's).
  expect(failures.map((answer) => answer.status).filter((status) => status !== 401 && status !== 429)).toEqual([]);
  const upload = await owner.mutate("files.upload", { name: "probe.txt", mimeType: "text/plain", contentBase64: Buffer.from("audited").toString("base64") });
  expect(upload.status, upload.text).toBe(200);
  const fileId = (upload.data as { id: string }).id;

  const list = async (action: string) => ((await owner.query("audit.list", { action, pageSize: 100 })).data as { data: AuditRow[] }).data;
  const failed = (await list("auth.login_failed")).filter((row) => row.details.email === email);
  expect(failed).toHaveLength(1);
  expect(failed[0]?.details.failures).toBe(30);
  const uploaded = await list("file.uploaded");
  expect(uploaded.map((row) => row.targetId)).toContain(fileId);
});
