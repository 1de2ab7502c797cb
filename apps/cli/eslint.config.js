import { sigilConfig } from "@sigil/eslint-config";

export default sigilConfig({ layer: "app", tsconfigRootDir: import.meta.dirname });
