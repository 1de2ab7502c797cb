import { deployments } from "../schema/tenant/deployments.ts";
import type { RowOf } from "./base-model.ts";
import { IsolatedModel } from "./strategies.ts";

export type DeploymentRow = RowOf<typeof deployments>;

export class DeploymentModel extends IsolatedModel<typeof deployments> {
  constructor() {
    super(deployments);
  }

  async findByName(name: string): Promise<DeploymentRow | null> {
    return this.findOne({ name });
  }
}

export const deploymentModel = new DeploymentModel();
