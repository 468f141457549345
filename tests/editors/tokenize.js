// Tokenize a file with a TextMate grammar, the way VS Code does (vscode-textmate + oniguruma).
// usage: node tokenize.js NODE_MODULES GRAMMAR.json FILE  ->  JSON on stdout:
//   [[{"text": "...", "scopes": ["source.vproof", ...]}, ...], ...]   one list per line
"use strict";
const fs = require("fs");
const path = require("path");

const [nodeModules, grammarPath, filePath] = process.argv.slice(2);
const vsctm = require(path.join(nodeModules, "vscode-textmate"));
const oniguruma = require(path.join(nodeModules, "vscode-oniguruma"));

async function main() {
  const wasm = fs.readFileSync(path.join(nodeModules, "vscode-oniguruma", "release", "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const grammarText = fs.readFileSync(grammarPath, "utf8");
  const scopeName = JSON.parse(grammarText).scopeName;
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (name) =>
      name === scopeName ? vsctm.parseRawGrammar(grammarText, grammarPath) : null,
  });
  const grammar = await registry.loadGrammar(scopeName);
  if (!grammar) throw new Error(`grammar ${scopeName} did not load`);
  const lines = fs.readFileSync(filePath, "utf8").split(/\r?\n/);
  let state = vsctm.INITIAL;
  const out = [];
  for (const line of lines) {
    const result = grammar.tokenizeLine(line, state);
    out.push(result.tokens.map((t) => ({
      text: line.substring(t.startIndex, t.endIndex),
      scopes: t.scopes,
    })));
    state = result.ruleStack;
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack || err) + "\n");
  process.exit(1);
});
