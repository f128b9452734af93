import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  TroupeError,
  isErrorCode
} from "./chunk-DBBPO6IK.js";

// ops/transfer.ts
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import { createHash } from "node:crypto";
var agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
var NodeUnreachable = class extends Error {
};
function request(url, opts, body) {
  const u = new URL(url);
  const lib = u.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(u, { agent: u.protocol === "https:" ? agents.https : agents.http, ...opts }, resolve);
    req.setTimeout(6e4, () => req.destroy(new Error("the node stopped answering for 60 s")));
    req.on("error", (e) => {
      if (body !== void 0 && !Buffer.isBuffer(body)) body.destroy();
      reject(new NodeUnreachable(`${u.host}: ${e.code ?? e.message}`));
    });
    if (body === void 0) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else {
      body.on("error", (e) => req.destroy(e));
      body.pipe(req);
    }
  });
}
async function readAll(res) {
  const chunks = [];
  for await (const c of res) chunks.push(c);
  return Buffer.concat(chunks);
}
async function nodeError(res) {
  const text = (await readAll(res)).toString("utf8");
  try {
    const { error } = JSON.parse(text);
    if (error && isErrorCode(error.code)) return new TroupeError(error.code, error.message);
  } catch {
  }
  return new TroupeError(res.statusCode && res.statusCode >= 500 ? "unavailable" : "bad_request", `the node answered ${res.statusCode}: ${text.slice(0, 200)}`);
}
async function putFile(url, body, headers) {
  const res = await request(url, { method: "PUT", headers }, body);
  if (res.statusCode !== 201) throw await nodeError(res);
  return JSON.parse((await readAll(res)).toString("utf8"));
}
async function getFile(url, headers = {}) {
  const res = await request(url, { method: "GET", headers });
  if (res.statusCode === 200 || res.statusCode === 206 || res.statusCode === 416) return res;
  throw await nodeError(res);
}
async function putRaw(url, body, headers) {
  const res = await request(url, { method: "PUT", headers }, body);
  res.resume();
  await new Promise((r) => res.once("end", r));
  return res.statusCode ?? 0;
}
async function sha256File(file, onBytes, length) {
  const hash = createHash("sha256");
  if (length === 0) return hash.digest("hex");
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20, ...length !== void 0 ? { end: length - 1 } : {} })) {
    hash.update(chunk);
    onBytes?.(chunk.length);
  }
  return hash.digest("hex");
}
var TYPES = {
  mp4: "video/mp4",
  m4v: "video/mp4",
  webm: "video/webm",
  mkv: "video/x-matroska",
  mov: "video/quicktime",
  avi: "video/x-msvideo",
  ts: "video/mp2t",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  opus: "audio/ogg",
  wav: "audio/wav",
  flac: "audio/flac",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  svg: "image/svg+xml",
  txt: "text/plain; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  html: "text/html; charset=utf-8",
  css: "text/css",
  csv: "text/csv",
  json: "application/json",
  pdf: "application/pdf",
  zip: "application/zip",
  gz: "application/gzip",
  tar: "application/x-tar",
  srt: "application/x-subrip",
  vtt: "text/vtt"
};
function guessType(name) {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  return ext && TYPES[ext] || "application/octet-stream";
}
function formatBytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`;
}
var Progress = class {
  constructor(label, total, done_ = 0, enabled = true) {
    this.label = label;
    this.total = total;
    this.done_ = done_;
    this.tty = enabled && process.stderr.isTTY === true;
  }
  label;
  total;
  done_;
  started = Date.now();
  drawn = 0;
  tty;
  get bytes() {
    return this.done_;
  }
  /** Starts over at `n` bytes (a transfer retried on another node). */
  set(n) {
    this.done_ = n;
  }
  add(n) {
    this.done_ += n;
    const now = Date.now();
    if (this.tty && now - this.drawn >= 100) {
      this.drawn = now;
      this.draw();
    }
  }
  rate() {
    return this.done_ / Math.max(1e-3, (Date.now() - this.started) / 1e3);
  }
  draw() {
    const width = 30;
    const share = this.total > 0 ? Math.min(1, this.done_ / this.total) : 1;
    const bar = "#".repeat(Math.round(share * width)).padEnd(width, ".");
    process.stderr.write(`\r${this.label} [${bar}] ${(share * 100).toFixed(0).padStart(3)}% ${formatBytes(this.done_)}/${formatBytes(this.total)} ${formatBytes(this.rate())}/s   `);
  }
  /** Clears the bar (a line for the caller follows). */
  finish() {
    if (!this.tty) return;
    this.draw();
    process.stderr.write("\n");
  }
};

export {
  NodeUnreachable,
  putFile,
  getFile,
  putRaw,
  sha256File,
  guessType,
  formatBytes,
  Progress
};
