// Moving file bytes to and from storage nodes over HTTP, for `troupe files` and the storage
// benchmark: streamed uploads and ranged downloads (node:http, keep-alive, backpressure, constant
// memory), sha-256 of local files, the nodes' JSON errors as TroupeErrors, and a progress bar.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { TroupeError, isErrorCode, fromWireError } from '../protocol/mod.ts';

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/** A failure to talk to a node at all (refused, reset, timed out): worth trying another node. */
export class NodeUnreachable extends Error {}

function request(url: string, opts: http.RequestOptions, body?: Readable | Buffer): Promise<http.IncomingMessage> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(u, { agent: u.protocol === 'https:' ? agents.https : agents.http, ...opts }, resolve);
    req.setTimeout(60_000, () => req.destroy(new Error('the node stopped answering for 60 s')));
    req.on('error', (e) => {
      if (body !== undefined && !Buffer.isBuffer(body)) body.destroy();
      reject(new NodeUnreachable(`${u.host}: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    });
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else {
      body.on('error', (e) => req.destroy(e));
      body.pipe(req);
    }
  });
}

async function readAll(res: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The node's `{ error: { code, message } }` as a TroupeError (any other body: the status). */
async function nodeError(res: http.IncomingMessage): Promise<TroupeError> {
  const text = (await readAll(res)).toString('utf8');
  try {
    const { error } = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (error && isErrorCode(error.code)) return fromWireError(error, `the node answered ${res.statusCode}`);
  } catch {
    // not JSON
  }
  return new TroupeError(res.statusCode && res.statusCode >= 500 ? 'unavailable' : 'bad_request', `the node answered ${res.statusCode}: ${text.slice(0, 200)}`);
}

/** PUTs a body to an upload URL; the node's JSON answer (201), or its error. */
export async function putFile(url: string, body: Readable | Buffer, headers: http.OutgoingHttpHeaders): Promise<Record<string, unknown>> {
  const res = await request(url, { method: 'PUT', headers }, body);
  if (res.statusCode !== 201) throw await nodeError(res);
  return JSON.parse((await readAll(res)).toString('utf8')) as Record<string, unknown>;
}

/**
 * GETs a URL; resolves once the status is known. 200 and 206 are handed back to be consumed;
 * 416 too (the caller knows what it asked for); anything else becomes the node's error.
 */
export async function getFile(url: string, headers: http.OutgoingHttpHeaders = {}): Promise<http.IncomingMessage> {
  const res = await request(url, { method: 'GET', headers });
  if (res.statusCode === 200 || res.statusCode === 206 || res.statusCode === 416) return res;
  throw await nodeError(res);
}

/** PUTs a body to a plain web server (the benchmark's nginx); its status, the body drained. */
export async function putRaw(url: string, body: Readable | Buffer, headers: http.OutgoingHttpHeaders): Promise<number> {
  const res = await request(url, { method: 'PUT', headers }, body);
  res.resume();
  await new Promise((r) => res.once('end', r));
  return res.statusCode ?? 0;
}

/** sha-256 (hex) of the first `length` bytes of a file (all of it by default). */
export async function sha256File(file: string, onBytes?: (n: number) => void, length?: number): Promise<string> {
  const hash = createHash('sha256');
  if (length === 0) return hash.digest('hex');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20, ...(length !== undefined ? { end: length - 1 } : {}) })) {
    hash.update(chunk as Buffer);
    onBytes?.((chunk as Buffer).length);
  }
  return hash.digest('hex');
}

const TYPES: Record<string, string> = {
  mp4: 'video/mp4', m4v: 'video/mp4', webm: 'video/webm', mkv: 'video/x-matroska', mov: 'video/quicktime', avi: 'video/x-msvideo', ts: 'video/mp2t',
  mp3: 'audio/mpeg', m4a: 'audio/mp4', ogg: 'audio/ogg', oga: 'audio/ogg', opus: 'audio/ogg', wav: 'audio/wav', flac: 'audio/flac',
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml',
  txt: 'text/plain; charset=utf-8', md: 'text/markdown; charset=utf-8', html: 'text/html; charset=utf-8', css: 'text/css', csv: 'text/csv',
  json: 'application/json', pdf: 'application/pdf', zip: 'application/zip', gz: 'application/gzip', tar: 'application/x-tar',
  srt: 'application/x-subrip', vtt: 'text/vtt',
};

/** The media type of a file name by its extension (players need it to seek); octet-stream otherwise. */
export function guessType(name: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  return (ext && TYPES[ext]) || 'application/octet-stream';
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`;
}

/**
 * A progress bar on stderr, redrawn at most ten times a second, when stderr is a terminal (piped
 * output stays clean). `done` leaves one summary line.
 */
export class Progress {
  private readonly started = Date.now();
  private drawn = 0;
  private readonly tty: boolean;

  constructor(private readonly label: string, private readonly total: number, private done_ = 0, enabled = true) {
    this.tty = enabled && process.stderr.isTTY === true;
  }

  get bytes(): number {
    return this.done_;
  }

  /** Starts over at `n` bytes (a transfer retried on another node). */
  set(n: number): void {
    this.done_ = n;
  }

  add(n: number): void {
    this.done_ += n;
    const now = Date.now();
    if (this.tty && now - this.drawn >= 100) {
      this.drawn = now;
      this.draw();
    }
  }

  private rate(): number {
    return this.done_ / Math.max(0.001, (Date.now() - this.started) / 1000);
  }

  private draw(): void {
    const width = 30;
    const share = this.total > 0 ? Math.min(1, this.done_ / this.total) : 1;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
    process.stderr.write(`\r${this.label} [${bar}] ${(share * 100).toFixed(0).padStart(3)}% ${formatBytes(this.done_)}/${formatBytes(this.total)} ${formatBytes(this.rate())}/s   `);
  }

  /** Clears the bar (a line for the caller follows). */
  finish(): void {
    if (!this.tty) return;
    this.draw();
    process.stderr.write('\n');
  }
}
