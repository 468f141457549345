// Preloaded (NODE_OPTIONS=--require) into every Node process of the packaging step: any attempt to
// open a network connection or resolve a host name is written to $VECPROOF_NET_LOG and fails.
// Local IPC (Unix sockets, named pipes) is still allowed.
"use strict";
const dns = require("dns");
const fs = require("fs");
const net = require("net");

const logPath = process.env.VECPROOF_NET_LOG;

function record(what) {
  const line = `${process.pid} ${process.argv.slice(1).join(" ")}: ${what}\n`;
  if (logPath) fs.appendFileSync(logPath, line);
  const err = new Error(`network access blocked by the vecproof test: ${what}`);
  err.code = "ENETUNREACH";
  return err;
}

function describe(args) {
  let first = args[0];
  if (Array.isArray(first)) first = first[0]; // net internals pass normalized [options, cb]
  if (first && typeof first === "object") {
    if (first.path) return null; // IPC
    return `connect ${first.host ?? "localhost"}:${first.port}`;
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return null; // a pipe path
  return `connect ${args[1] ?? "localhost"}:${first}`;
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const what = describe(args);
  if (what !== null) throw record(what);
  return originalConnect.apply(this, args);
};

dns.lookup = function (host, ...rest) {
  const cb = rest[rest.length - 1];
  const err = record(`dns.lookup ${host}`);
  if (typeof cb === "function") process.nextTick(cb, err);
  else throw err;
};
dns.promises.lookup = async (host) => {
  throw record(`dns.promises.lookup ${host}`);
};
