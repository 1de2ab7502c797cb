import { sigilConfig } from "@sigil/eslint-config";

export default sigilConfig({ layer: "db", tsconfigRootDir: import.meta.dirname });
