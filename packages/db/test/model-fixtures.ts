import { eq } from "drizzle-orm";
import type { Model, ModelTable } from "../src/models/base-model.ts";
import {
  apiKeyModel,
  auditLogModel,
  deploymentModel,
  executionModel,
  fileModel,
  promptModel,
  sessionModel,
  settingsModel,
  userModel,
} from "../src/models/index.ts";

/** Each tenant-scoped model with a way to create a row and a harmless patch, for table-driven tests. */
export interface ModelCase {
  name: string;
  strategy: "shared" | "isolated";
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a heterogeneous list of models; each case only pairs a model with its own data
  model: Model<ModelTable, any, any>;
  /** Creates a row in the current tenant; `n` makes unique values. */
  create: (n: number) => Promise<{ id: string }>;
  patch: Record<string, unknown>;
}

async function anyUserId(): Promise<string> {
  const existing = await userModel.findOne({ email: "owner@example.com" });
  if (existing) return existing.id;
  return (await userModel.create({ email: "owner@example.com", name: "Owner", role: "admin", status: "active" })).id;
}

async function anyPromptId(): Promise<string> {
  const existing = await promptModel.findByName("fixture prompt");
  if (existing) return existing.id;
  return (await promptModel.create({ name: "fixture prompt", template: "Hello {{name}}" })).id;
}

export const MODEL_CASES: ModelCase[] = [
  {
    name: "userModel",
    strategy: "shared",
    model: userModel,
    create: (n) => userModel.create({ email: `user${n}@example.com`, name: `User ${n}` }),
    patch: { name: "Renamed" },
  },
  {
    name: "sessionModel",
    strategy: "shared",
    model: sessionModel,
    create: async (n) => sessionModel.create({ userId: await anyUserId(), tokenHash: `hash-${n}-${Math.random()}`, expiresAt: new Date(Date.now() + 60_000) }),
    patch: { lastSeenAt: new Date() },
  },
  {
    name: "apiKeyModel",
    strategy: "shared",
    model: apiKeyModel,
    create: async (n) =>
      apiKeyModel.create({ userId: await anyUserId(), name: `key ${n}`, keyId: `kid${n}${Math.random()}`, secretHash: "x", scopes: ["prompts:read"] }),
    patch: { name: "Renamed key" },
  },
  {
    name: "settingsModel",
    strategy: "shared",
    model: settingsModel,
    create: (n) => settingsModel.create({ type: "webhook", identifier: `hook-${n}`, payload: { url: `https://example.com/${n}` } }),
    patch: { payload: { url: "https://example.com/changed" } },
  },
  {
    name: "promptModel",
    strategy: "isolated",
    model: promptModel,
    create: (n) => promptModel.create({ name: `prompt ${n}`, template: `Template ${n} {{x}}` }),
    patch: { template: "Changed {{x}}" },
  },
  {
    name: "executionModel",
    strategy: "isolated",
    model: executionModel,
    create: async (n) => executionModel.create({ promptId: await anyPromptId(), promptVersion: 1, input: { n }, provider: "template", model: "none" }),
    patch: { status: "failed", error: "changed" },
  },
  {
    name: "fileModel",
    strategy: "isolated",
    model: fileModel,
    create: (n) => fileModel.store({ name: `file${n}.txt`, mimeType: "text/plain", content: Buffer.from(`content ${n}`) }),
    patch: { name: "renamed.txt" },
  },
  {
    name: "deploymentModel",
    strategy: "isolated",
    model: deploymentModel,
    create: async (n) => deploymentModel.create({ name: `deploy-${n}`, promptId: await anyPromptId(), provider: "template", model: "none" }),
    patch: { model: "changed" },
  },
  {
    name: "auditLogModel",
    strategy: "isolated",
    model: auditLogModel,
    create: (n) => auditLogModel.record({ actorType: "system", action: `test.action.${n}` }),
    patch: {},
  },
];

export { eq };
