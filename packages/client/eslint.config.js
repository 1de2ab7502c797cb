import { sigilConfig } from "@sigil/eslint-config";

export default sigilConfig({ layer: "client", tsconfigRootDir: import.meta.dirname });
