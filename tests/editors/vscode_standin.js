// Run the extension's entry point outside VS Code, from an unpacked .vsix, with a stand-in for the
// `vscode` module: just enough of the API (settings, output channel, error messages, events) for
// vscode-languageclient to start the server and complete the LSP handshake. Everything else in the
// API is a harmless catch-all.
//
// usage: node vscode_standin.js EXTENSION_DIR '["/path/to/vecproof", "lsp"]'  ->  JSON on stdout
//
// It proves that the packaged client and its runtime dependency (vscode-languageclient) load from
// the package alone, that activation starts the configured command line and that the server
// answers `initialize`, that deactivation stops it, and that a missing command gives a message
// naming the setting.
"use strict";
const Module = require("module");
const os = require("os");
const path = require("path");

const log = [];
const errors = [];

// Any property of the catch-all is another catch-all; it can be called and subclassed, and it is
// not a promise (so `await` on it does not hang).
function catchAll() {
  const target = function () {};
  const proxy = new Proxy(target, {
    get: (t, prop) => {
      if (prop === "prototype") return t.prototype;
      if (prop === Symbol.toPrimitive) return () => "";
      if (prop === "then") return undefined;
      return catchAll();
    },
    apply: () => catchAll(),
    construct: (t, args, newTarget) => Object.create(newTarget.prototype),
  });
  return proxy;
}

class Disposable {
  constructor(fn) { this._fn = fn; }
  dispose() { if (this._fn) this._fn(); this._fn = undefined; }
  static from(...items) { return new Disposable(() => items.forEach((d) => d && d.dispose && d.dispose())); }
}

class EventEmitter {
  constructor() {
    this._listeners = [];
    this.event = (listener, thisArg) => {
      const f = thisArg ? listener.bind(thisArg) : listener;
      this._listeners.push(f);
      return new Disposable(() => { this._listeners = this._listeners.filter((x) => x !== f); });
    };
  }
  fire(e) { for (const l of [...this._listeners]) l(e); }
  dispose() { this._listeners = []; }
}

const settings = {};
const outputChannel = (name) => ({
  name,
  append: (s) => log.push(s), appendLine: (s) => log.push(s), replace: (s) => log.push(s),
  clear() {}, show() {}, hide() {}, dispose() {},
});
const namespaces = {
  workspace: {
    getConfiguration: () => ({
      get: (key, fallback) => (key in settings ? settings[key] : fallback),
      has: (key) => key in settings,
      inspect: () => undefined,
      update: async () => {},
    }),
    workspaceFolders: undefined,
    textDocuments: [],
  },
  window: {
    createOutputChannel: outputChannel,
    showErrorMessage: async (message) => { errors.push(message); return undefined; },
    showWarningMessage: async () => undefined,
    showInformationMessage: async () => undefined,
  },
  env: { appName: "Visual Studio Code", language: "en", machineId: "test", sessionId: "test",
         uriScheme: "vscode", shell: "" },
};
const vscode = new Proxy({ Disposable, EventEmitter, version: "1.90.0" }, {
  get: (t, prop) => {
    if (prop in t) return t[prop];
    if (prop === "then") return undefined;
    if (prop in namespaces) {
      const ns = namespaces[prop];
      return new Proxy(ns, { get: (n, p) => (p in n ? n[p] : p === "then" ? undefined : catchAll()) });
    }
    return catchAll();
  },
});

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === "vscode" ? "vscode" : originalResolve.call(this, request, ...rest);
};
require.cache.vscode = { id: "vscode", filename: "vscode", loaded: true, exports: vscode };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

async function main() {
  const dir = path.resolve(process.argv[2]);
  const [command, ...args] = JSON.parse(process.argv[3]);
  const manifest = require(path.join(dir, "package.json"));
  const ext = require(path.join(dir, manifest.main));
  const out = {
    activate: typeof ext.activate,
    deactivate: typeof ext.deactivate,
    languageclient: path.relative(dir, require.resolve("vscode-languageclient/node", { paths: [dir] })),
  };
  const { expand, resolveCommand, client } = ext._private;
  out.expand = {
    workspaceFolder: expand("${workspaceFolder}/.venv/bin/vecproof", "/proj"),
    home: expand("~/bin/vecproof", undefined) === path.join(os.homedir(), "bin/vecproof"),
    env: expand("${env:VECPROOF_STANDIN_TEST}/x", undefined),
  };
  out.resolve = {
    onPath: resolveCommand("node", undefined) !== undefined,
    missing: resolveCommand("surely-not-a-command-vecproof", undefined) === undefined,
  };

  // Activation with the server command from the settings: the handshake completes.
  settings["server.command"] = command;
  settings["server.args"] = args;
  await ext.activate({ subscriptions: [] });
  const c = client();
  out.started = {
    state: c ? c.state : null, // 2: State.Running
    serverInfo: c && c.initializeResult ? c.initializeResult.serverInfo : null,
  };
  const pid = c && c._serverProcess ? c._serverProcess.pid : undefined;
  await ext.deactivate();
  for (let i = 0; i < 50 && pid !== undefined && alive(pid); i++) await sleep(100);
  out.stopped = { client: client() === undefined, process: pid !== undefined && !alive(pid) };

  // Activation with a command that does not exist: an error message naming the setting, no client.
  settings["server.command"] = "surely-not-a-command-vecproof";
  await ext.activate({ subscriptions: [] });
  out.missing = { client: client() === undefined, errors: errors.slice() };
  out.log = log;
  return out;
}

const timer = setTimeout(() => {
  process.stdout.write(JSON.stringify({ timeout: true, log, errors }));
  process.exit(2);
}, 60000);
main().then((out) => {
  clearTimeout(timer);
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}, (err) => {
  clearTimeout(timer);
  process.stdout.write(JSON.stringify({ error: String((err && err.stack) || err), log, errors }));
  process.exit(1);
});
