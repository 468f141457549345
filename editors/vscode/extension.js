// @ts-check
// The vecproof extension for VS Code: starts `vecproof lsp` (LSP over stdio) for .vproof files.
//
// Plain CommonJS, no build step: `vsce package` ships this file and the production dependency
// vscode-languageclient from node_modules (see docs/editors.md).
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

const SECTION = "vecproof";

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let output;

/**
 * Expand `~`, `${userHome}`, `${workspaceFolder}` and `${env:NAME}` in a setting value.
 * @param {string} value
 * @param {string | undefined} folder
 */
function expand(value, folder) {
  let v = value.replace(/\$\{(userHome|workspaceFolder|env:([^}]+))\}/g, (match, name, envName) => {
    if (name === "userHome") return os.homedir();
    if (name === "workspaceFolder") return folder ?? match;
    return process.env[envName] ?? "";
  });
  if (v === "~" || v.startsWith("~/") || v.startsWith("~\\")) v = path.join(os.homedir(), v.slice(1));
  return v;
}

/**
 * Find an executable: a path (absolute, or relative to the workspace folder) or a name on PATH.
 * Returns undefined when nothing executable is found.
 * @param {string} command
 * @param {string | undefined} folder
 */
function resolveCommand(command, folder) {
  const isFile = (/** @type {string} */ p) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  const exts = process.platform === "win32"
    ? ["", ...(process.env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";")]
    : [""];
  if (command.includes("/") || command.includes("\\")) {
    const full = path.isAbsolute(command) || !folder ? command : path.join(folder, command);
    for (const ext of exts) if (isFile(full + ext)) return full + ext;
    return undefined;
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext);
      if (isFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The server command line from the settings: [command, args, cwd]. */
function serverCommandLine() {
  const config = vscode.workspace.getConfiguration(SECTION);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const command = expand(config.get("server.command", "vecproof") || "vecproof", folder);
  const args = config.get("server.args", ["lsp"]).map((/** @type {string} */ a) => expand(String(a), folder));
  return { command, args, folder };
}

async function startClient() {
  if (!output) output = vscode.window.createOutputChannel("vecproof");
  const { command, args, folder } = serverCommandLine();
  const resolved = resolveCommand(command, folder);
  if (!resolved) {
    const message = `vecproof: the language server command "${command}" was not found. `
      + "Install vecproof, or set \"vecproof.server.command\" to the full path "
      + "of the vecproof executable (e.g. <project>/.venv/bin/vecproof).";
    output.appendLine(message);
    const choice = await vscode.window.showErrorMessage(message, "Open Settings");
    if (choice === "Open Settings") {
      vscode.commands.executeCommand("workbench.action.openSettings", "vecproof.server.command");
    }
    return;
  }
  output.appendLine(`starting: ${[resolved, ...args].join(" ")}`);

  /** @type {import("vscode-languageclient/node").ServerOptions} */
  // No `transport`: the client talks over the process's stdio all the same (with TransportKind.stdio
  // it would append `--stdio`, which `vecproof lsp` accepts but does not need).
  const serverOptions = {
    command: resolved,
    args,
    options: { cwd: folder, env: { ...process.env, PYTHONUNBUFFERED: "1" } },
  };
  /** @type {import("vscode-languageclient/node").LanguageClientOptions} */
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "vproof" },
      { scheme: "untitled", language: "vproof" },
    ],
    outputChannel: output,
  };
  // The id "vecproof" makes the client read the "vecproof.trace.server" setting.
  client = new LanguageClient(SECTION, "vecproof language server", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    output.appendLine(`the language server failed to start: ${err}`);
    vscode.window.showErrorMessage(`vecproof: the language server failed to start (${err}). See Output → vecproof.`);
  }
}

async function stopClient() {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop();
    } catch (err) {
      output?.appendLine(`stopping the language server: ${err}`);
    }
  }
}

/** Restarts run one after another, however fast the settings change. */
let restarting = Promise.resolve();

function restartClient() {
  restarting = restarting.then(async () => {
    await stopClient();
    await startClient();
  });
  return restarting;
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("vecproof.restartServer", restartClient),
    vscode.commands.registerCommand("vecproof.showOutput", () => output?.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SECTION}.server`)) restartClient();
    }),
    // In an untrusted workspace the workspace's own server settings are ignored (see
    // "capabilities" in package.json); once it is trusted they apply.
    vscode.workspace.onDidGrantWorkspaceTrust(restartClient),
    { dispose: () => { stopClient(); } },
  );
  await startClient();
}

function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate, _private: { expand, resolveCommand, client: () => client } };
