import { sigilConfig } from "@sigil/eslint-config";

export default sigilConfig({ layer: "api", tsconfigRootDir: import.meta.dirname });
