import { sigilConfig } from "./index.js";

export default sigilConfig({ layer: "tooling", tsconfigRootDir: import.meta.dirname });
