import { sigilConfig } from "@sigil/eslint-config";

export default sigilConfig({ layer: "tooling", tsconfigRootDir: import.meta.dirname });
