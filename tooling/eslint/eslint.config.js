import { sigilConfig } from "./index.js";

export default sigilConfig({ layer: "tooling" });
