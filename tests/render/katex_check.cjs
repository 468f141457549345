// Render formulas with the real KaTeX, strict and throwing: node katex_check.cjs KATEX < formulas.json
// KATEX is the katex package directory (npm) or a katex.min.js; formulas.json is [[tex, display], ...].
// Prints a JSON list of {tex, error} for every formula KaTeX rejects (empty when all render).
"use strict";
const katex = require(require("path").resolve(process.argv[2]));
const formulas = JSON.parse(require("fs").readFileSync(0, "utf8"));
const errors = [];
for (const [tex, display] of formulas) {
  try {
    katex.renderToString(tex, {displayMode: display, throwOnError: true, strict: "error", trust: false});
  } catch (err) {
    errors.push({tex: tex, error: String(err.message || err)});
  }
}
process.stdout.write(JSON.stringify({version: katex.version, count: formulas.length, errors: errors}));
