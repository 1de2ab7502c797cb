import { sigilConfig } from "@sigil/eslint-config";

export default sigilConfig({ layer: "validators", tsconfigRootDir: import.meta.dirname });
