// 160 columns: 99% of the lines written before the formatter already fitted, so the first reformat
// changed the fewest lines here among the widths tried (120–200). Prettier's other defaults (double
// quotes, semicolons, trailing commas, parenthesised arrow parameters) are the code's style already.
/** @type {import("prettier").Config} */
const config = { printWidth: 160 };

export default config;
