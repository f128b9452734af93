// A node's file bytes on local disk. Incoming bytes (uploads and replication) stream into a temp
// file under <data>/tmp while their sha-256 is computed; the file's metadata (its binlog create
// record) is appended after the bytes with a fixed footer (below), the whole is fsynced once, then
// renamed into the layout (layout.ts) and the directory fsynced (once per group of files): a file
// is either absent or complete with its metadata, never partial. So "the file exists at its layout
// path" means "this node holds it" — one inode, one fsync per file. (A `.meta` sidecar beside each
// file cost a second inode and a second fsync per upload; files stored that way are still read.)
// Memory stays constant for any size: one batch of WRITE_BATCH (256 KiB) being written while the
// next gathers. A file of up to ONE_WRITE_MAX goes in one O_SYNC write once all of it is here;
// a bigger one is written while it arrives (the copy into the page cache, 2-3 ms per MiB on a
// busy VM, overlaps the network) and fsynced after its tail.
// A small file (announced size up to SMALL_MAX) takes another way: it is gathered in memory and,
// at its commit, appended with the other small files of its group to a trunk file (trunks.ts), in
// one synchronous write (O_DSYNC); it is read from there. So "this node holds file n" means: a trunk
// holds it, or a file exists at its layout path.
//
//   <ddd>:  the bytes | metadata JSON (BinlogCreate) | u32 BE length of the JSON | "TRPMETA1"
import fs from 'node:fs/promises';
import { constants, open as openCb, writev as writevCb, write as writeCb, fsync as fsyncCb, closeSync, renameSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { TroupeError, BinlogCreate, isValid } from '../protocol/mod.ts';
import { filePath } from './layout.ts';
import { Trunks, readFully, type TrunkOptions } from './trunks.ts';
import { logger } from '../lib/mod.ts';

export type FileMeta = BinlogCreate;

export interface Received {
  /** Where the bytes and their tail wait: a temp file, or (a small file) `content` in memory. */
  tempPath?: string;
  /** A small file's content (bytes, then the metadata tail), kept in memory until its commit. */
  content?: Buffer[];
  size: number;
  sha256: string;
  /** The metadata stored with the bytes. */
  meta: FileMeta;
}

export interface ReceiveOptions {
  /** Refuse (limit_exceeded) once more than this many bytes arrive. */
  maxBytes: number;
  /** When known (Content-Length, a binlog record): any other size is refused. */
  expectedSize?: number;
  /** When known: any other digest is refused. */
  expectedSha256?: string;
  /**
   * On a failure, leave `source` alive (it is paused and no longer read) instead of destroying it:
   * an HTTP server reading a request directly keeps its socket to carry the error response.
   */
  keepSource?: boolean;
  /** Told of the bytes received (metrics, transfer rates): at each write, and at the end. */
  onBytes?: (n: number) => void;
  /** Told how long the body took (start to last byte: network, sha-256, the writes on the way) and the last write (to durable and closed), in seconds. */
  timing?(phase: 'body' | 'write', seconds: number): void;
  /** The metadata to store with the bytes, once their size and digest are known. */
  describe(got: { size: number; sha256: string }): FileMeta;
}

export interface OpenFile {
  meta: FileMeta;
  handle: fs.FileHandle;
  /** Where the bytes start in the handle's file (0, or the place in a trunk). */
  offset: number;
  /** The bytes' size: a reader stays within [offset, offset + size). */
  size: number;
}

const MAGIC = Buffer.from('TRPMETA1');
const FOOTER = 4 + MAGIC.length;
/** One read of a file's last bytes finds its metadata: at most ~1.5 KiB (name and type ≤ 255 characters). */
const TAIL_READ = 4096;
const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
/** Bytes gathered before a write of a file that is written while it arrives. */
const WRITE_BATCH = 256 * 1024;
/** A file of at most this many bytes (announced) goes in one O_SYNC write with its tail. */
const ONE_WRITE_MAX = 256 * 1024;
/** A file of at most this many bytes (announced) is kept in memory and stored in a trunk. */
export const SMALL_MAX = 64 * 1024;
/** A trunk takes appends until it holds this much. */
const TRUNK_BYTES = 64 * 1024 * 1024;

/** The metadata and footer appended after a file's bytes. */
export function encodeTail(meta: FileMeta): Buffer {
  const json = Buffer.from(JSON.stringify(meta));
  const tail = Buffer.allocUnsafe(json.length + FOOTER);
  json.copy(tail, 0);
  tail.writeUInt32BE(json.length, json.length);
  MAGIC.copy(tail, json.length + 4);
  return tail;
}

/** Directory handles kept open for their fsyncs (a group's leaf directory is fsynced over and over). */
const DIR_HANDLES = 8;

interface DirHandle {
  handle: Promise<fs.FileHandle>;
  /** fsyncs in flight on it: it is closed only when none are. */
  users: number;
  /** Failed: out of the cache, closed when its last user is done. */
  dead: boolean;
}

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

// The received file is written through a plain descriptor with the callback API: one trip through
// libuv's pool per open and per write, none of FileHandle's bookkeeping. close(2) of a regular file
// and rename(2) are quick metadata calls that never wait for the disk, so they run on the event
// loop (as nginx does them): a trip through the pool cost more than the call (the thread woken,
// the loop preempted on a busy machine). open(O_CREAT) stays in the pool: creating an inode can
// read inode tables from the disk.
const openFd = (p: string, flags: number, mode: number) =>
  new Promise<number>((resolve, reject) => openCb(p, flags, mode, (e, fd) => (e ? reject(e) : resolve(fd))));
const writevFd = (fd: number, bufs: Buffer[], position: number) =>
  new Promise<number>((resolve, reject) => writevCb(fd, bufs, position, (e, n) => (e ? reject(e) : resolve(n))));
const writeFd = (fd: number, buf: Buffer, offset: number, length: number, position: number) =>
  new Promise<number>((resolve, reject) => writeCb(fd, buf, offset, length, position, (e, n) => (e ? reject(e) : resolve(n))));
const syncFd = (fd: number) => new Promise<void>((resolve, reject) => fsyncCb(fd, (e) => (e ? reject(e) : resolve())));

/** Temp file names: unique in this process (the temp dir is emptied at start), no random bytes per upload. */
let tempSeq = 0;
const tempName = (ext: string) => `${process.pid}-${Date.now().toString(36)}-${(tempSeq++).toString(36)}.${ext}`;

/** A file's content (its bytes, then the metadata tail), open for reading. */
interface Content {
  handle: fs.FileHandle;
  offset: number;
  length: number;
  inTrunk: boolean;
}

export class FileStore {
  readonly filesRoot: string;
  readonly tmpRoot: string;
  /** Directories known to exist (the layout's directories are never removed). */
  private readonly dirsMade = new Set<string>();
  /** Open directories, least recently fsynced first. */
  private readonly dirHandles = new Map<string, DirHandle>();
  readonly trunks: Trunks;

  constructor(readonly dataDir: string, trunks: Partial<TrunkOptions> = {}) {
    this.filesRoot = path.join(dataDir, 'files');
    this.tmpRoot = path.join(dataDir, 'tmp');
    const log = logger('storage');
    this.trunks = new Trunks(path.join(dataDir, 'trunks'), {
      trunkBytes: TRUNK_BYTES,
      onError: (e) => log.warn({ err: (e as Error).message, dataDir }, 'trunk compaction failed; tried again at the next removal'),
      ...trunks,
    });
  }

  /** Creates the directories, removes temp files a crashed process left behind, reads the trunks. */
  async init(): Promise<void> {
    await fs.mkdir(this.filesRoot, { recursive: true });
    await fs.mkdir(this.tmpRoot, { recursive: true });
    for (const name of await fs.readdir(this.tmpRoot)) await fs.rm(path.join(this.tmpRoot, name), { force: true, recursive: true });
    await this.trunks.open();
  }

  /**
   * Streams `source` into a temp file, hashing on the way, then appends the metadata `describe`
   * gives and fsyncs. On any failure the temp file is gone and the source destroyed (or, with
   * `keepSource`, paused: an HTTP server that passes its request keeps the socket to carry the
   * error response).
   */
  async receive(source: Readable, opts: ReceiveOptions): Promise<Received> {
    if (opts.expectedSize !== undefined && opts.expectedSize > opts.maxBytes) {
      throw new TroupeError('limit_exceeded', `the file is ${opts.expectedSize} bytes; the limit is ${opts.maxBytes}`);
    }
    if (opts.expectedSize !== undefined && opts.expectedSize <= SMALL_MAX) return this.receiveSmall(source, opts);
    const tempPath = path.join(this.tmpRoot, tempName('part'));
    const hash = createHash('sha256');
    let size = 0;
    // one descriptor from open to close, and chunks gathered into few writes (each is a trip
    // through libuv's pool): an upload of up to ONE_WRITE_MAX bytes costs open, one O_SYNC write
    // (bytes and metadata) and close; a bigger one a write per WRITE_BATCH while it arrives (one
    // in flight while the next batch gathers), the last with the tail, and an fsync
    let fd: number | undefined;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let written = 0;
    // bytes received and not yet told to onBytes (told per write, not per chunk: a metric update
    // per 64 KiB chunk cost more than the hash of it)
    let untold = 0;
    const tell = () => {
      if (untold) opts.onBytes?.(untold);
      untold = 0;
    };
    const flush = async (bufs: Buffer[]) => {
      tell();
      pending = [];
      pendingBytes = 0;
      let total = 0;
      for (const b of bufs) total += b.length;
      const bytesWritten = await writevFd(fd!, bufs, written);
      written += bytesWritten;
      // a short write (rare on a regular file): the rest one buffer at a time
      if (bytesWritten < total) {
        const rest = Buffer.concat(bufs).subarray(bytesWritten);
        for (let off = 0; off < rest.length;) {
          const n = await writeFd(fd!, rest, off, rest.length - off, written);
          off += n;
          written += n;
        }
      }
    };
    // a file that goes in one write is opened O_SYNC: the write returns durable (what an fsync
    // after it would do) and saves a trip through the pool
    const oneWrite = opts.expectedSize !== undefined && opts.expectedSize <= ONE_WRITE_MAX;
    // the batch being written while the next one gathers (its failure is met at the next await)
    let inflight: Promise<void> | undefined;
    let t = performance.now();
    try {
      fd = await openFd(tempPath, oneWrite ? CREATE | constants.O_SYNC : CREATE, 0o640);
      // an early exit (an error) must not destroy a source the caller keeps
      const chunks = opts.keepSource ? source.iterator({ destroyOnReturn: false }) : source;
      for await (const chunk of chunks as AsyncIterable<Buffer>) {
        size += chunk.length;
        checkSize(size, opts);
        hash.update(chunk);
        untold += chunk.length;
        pending.push(chunk);
        pendingBytes += chunk.length;
        // a full batch is written while the next gathers; one write in flight at a time
        if (!oneWrite && pendingBytes >= WRITE_BATCH) {
          await inflight;
          inflight = flush(pending);
          inflight.catch(() => {});
        }
      }
      await inflight;
      inflight = undefined;
      opts.timing?.('body', (performance.now() - t) / 1000);
      t = performance.now();
      const { sha256, meta } = describeReceived(size, hash.digest('hex'), opts);
      await flush([...pending, encodeTail(meta)]);
      if (!oneWrite) await syncFd(fd);
      closeSync(fd);
      fd = undefined;
      opts.timing?.('write', (performance.now() - t) / 1000);
      return { tempPath, size, sha256, meta };
    } catch (e) {
      // the source is left half read: destroy it, so whoever pipes into it stops (or, kept,
      // stop reading it)
      tell();
      if (opts.keepSource) source.pause();
      else if (!source.destroyed) source.destroy();
      // the descriptor is closed only when no write uses it any more
      await inflight?.catch(() => {});
      if (fd !== undefined) {
        try {
          closeSync(fd);
        } catch {
          // closed or not, it is no longer ours
        }
      }
      await fs.rm(tempPath, { force: true });
      throw e;
    }
  }

  /**
   * A small file: gathered in memory (at most SMALL_MAX bytes, as announced), hashed on the way;
   * it reaches the disk at its commit, in a trunk.
   */
  private async receiveSmall(source: Readable, opts: ReceiveOptions): Promise<Received> {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    const t = performance.now();
    try {
      const iterable = opts.keepSource ? source.iterator({ destroyOnReturn: false }) : source;
      for await (const chunk of iterable as AsyncIterable<Buffer>) {
        size += chunk.length;
        checkSize(size, opts);
        hash.update(chunk);
        chunks.push(chunk);
      }
      opts.onBytes?.(size);
      opts.timing?.('body', (performance.now() - t) / 1000);
      const { sha256, meta } = describeReceived(size, hash.digest('hex'), opts);
      opts.timing?.('write', 0);
      return { content: [...chunks, encodeTail(meta)], size, sha256, meta };
    } catch (e) {
      if (opts.keepSource) source.pause();
      else if (!source.destroyed) source.destroy();
      throw e;
    }
  }

  /** Drops a received file that will not be committed. */
  async discard(received: Received): Promise<void> {
    if (received.tempPath) await fs.rm(received.tempPath, { force: true });
  }

  /** Moves received bytes into place as file `n`; durable when it returns. */
  async commit(received: Received, n: number): Promise<void> {
    const [r] = await this.commitMany([{ received, n }]);
    if (r !== true) throw r;
  }

  /**
   * Puts several received files into place, durable together. Small files (in memory): appended
   * to a trunk in one synchronous write. The others: the renames, then each directory touched
   * fsynced once (new directories' parents too). Per file: true, or the error that kept it out (a
   * temp file is left to discard).
   */
  async commitMany(items: { received: Received; n: number }[]): Promise<(true | Error)[]> {
    const out: (true | Error)[] = items.map(() => true);
    const small: number[] = [];
    const moved: number[] = [];
    items.forEach((it, i) => (it.received.content ? small : moved).push(i));
    await Promise.all([
      this.commitSmall(small.map((i) => items[i])).then((r) => r.forEach((x, j) => (out[small[j]] = x))),
      this.commitMoved(moved.map((i) => items[i])).then((r) => r.forEach((x, j) => (out[moved[j]] = x))),
    ]);
    return out;
  }

  /** Small files: into a trunk together. */
  private async commitSmall(items: { received: Received; n: number }[]): Promise<(true | Error)[]> {
    try {
      await this.trunks.append(items.map(({ received, n }) => ({ n, content: received.content! })));
      return items.map(() => true);
    } catch (e) {
      return items.map(() => e as Error);
    }
  }

  /** Received temp files: renamed into place, then each directory touched fsynced once. */
  private async commitMoved(items: { received: Received; n: number }[]): Promise<(true | Error)[]> {
    if (!items.length) return [];
    const out: (true | Error)[] = items.map(() => true);
    const dirs = new Map<string, Promise<string | undefined>>();
    await Promise.all(items.map(async ({ received, n }, i) => {
      try {
        const dest = filePath(this.filesRoot, n);
        const dir = path.dirname(dest);
        if (!dirs.has(dir)) dirs.set(dir, this.dirsMade.has(dir) ? Promise.resolve(undefined) : fs.mkdir(dir, { recursive: true }));
        await dirs.get(dir);
        renameSync(received.tempPath!, dest);
      } catch (e) {
        out[i] = e as Error;
      }
    }));
    // new directories: their entries in the parents must reach the disk too
    const toSync = new Set<string>(dirs.keys());
    for (const [dir, made] of dirs) if (await made.catch(() => undefined)) for (let d = path.dirname(dir); d.length >= this.filesRoot.length; d = path.dirname(d)) toSync.add(d);
    try {
      await Promise.all([...toSync].map((d) => this.fsyncDir(d)));
    } catch (e) {
      return out.map((r) => (r === true ? (e as Error) : r));
    }
    for (const d of dirs.keys()) this.dirsMade.add(d);
    return out;
  }

  /** fsyncs a directory through a handle kept open: one trip through the pool instead of three. */
  private async fsyncDir(dir: string): Promise<void> {
    let d = this.dirHandles.get(dir);
    if (d) this.dirHandles.delete(dir);
    else d = { handle: fs.open(dir, 'r'), users: 0, dead: false };
    this.dirHandles.set(dir, d);
    d.users++;
    try {
      await (await d.handle).sync();
    } catch (e) {
      d.dead = true;
      if (this.dirHandles.get(dir) === d) this.dirHandles.delete(dir);
      throw e;
    } finally {
      d.users--;
      if (d.dead && d.users === 0) void d.handle.then((h) => h.close(), () => {});
      for (const [k, old] of this.dirHandles) {
        if (this.dirHandles.size <= DIR_HANDLES) break;
        if (old.users > 0) continue;
        this.dirHandles.delete(k);
        void old.handle.then((h) => h.close(), () => {});
      }
    }
  }

  /**
   * Closes the directory handles kept for fsyncs and the open trunk (the store stays usable:
   * they reopen, and small files go to a new trunk).
   */
  async close(): Promise<void> {
    await this.trunks.close();
    const open = [...this.dirHandles.values()];
    this.dirHandles.clear();
    await Promise.all(open.map((d) => d.handle.then((h) => h.close(), () => {})));
  }

  /**
   * The metadata of an open file: from its tail, or from a `.meta` sidecar beside it (files stored
   * before the tail existed); null when neither (a file renamed in by an older version whose
   * sidecar never followed: not held).
   */
  private async readMeta(n: number, c: Content): Promise<{ meta: FileMeta; size: number } | null> {
    const want = Math.min(c.length, TAIL_READ);
    const tail = Buffer.allocUnsafe(want);
    await readFully(c.handle, tail, c.offset + c.length - want);
    if (want >= FOOTER && tail.subarray(want - MAGIC.length).equals(MAGIC)) {
      const len = tail.readUInt32BE(want - FOOTER);
      if (len + FOOTER > want) throw new Error(`corrupt metadata for file ${n}`);
      let meta: unknown;
      try {
        meta = JSON.parse(tail.subarray(want - FOOTER - len, want - FOOTER).toString('utf8'));
      } catch {
        meta = undefined;
      }
      if (!isValid(BinlogCreate, meta) || meta.size !== c.length - len - FOOTER) throw new Error(`corrupt metadata for file ${n}`);
      return { meta, size: meta.size };
    }
    if (c.inTrunk) throw new Error(`corrupt metadata for file ${n}`);
    let text: string;
    try {
      text = await fs.readFile(`${filePath(this.filesRoot, n)}.meta`, 'utf8');
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
    const meta: unknown = JSON.parse(text);
    if (!isValid(BinlogCreate, meta)) throw new Error(`corrupt metadata for file ${n}`);
    return { meta, size: c.length };
  }

  /** The metadata of file `n`, or null when this node does not hold it. */
  async meta(n: number): Promise<FileMeta | null> {
    const c = await this.openContent(n);
    if (!c) return null;
    try {
      return (await this.readMeta(n, c))?.meta ?? null;
    } finally {
      await c.handle.close();
    }
  }

  /** File n's content (bytes and tail), open: in its trunk, or at its layout path; null when neither. */
  private async openContent(n: number): Promise<Content | null> {
    for (let attempt = 1; ; attempt++) {
      const loc = this.trunks.locate(n);
      if (!loc) break;
      try {
        return { handle: await fs.open(this.trunks.trunkPath(loc.trunk), 'r'), offset: loc.offset, length: loc.length, inTrunk: true };
      } catch (e) {
        // its trunk was compacted meanwhile: the file moved to another
        if (!isMissing(e) || attempt >= 3) throw e;
      }
    }
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(filePath(this.filesRoot, n), 'r');
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
    try {
      return { handle, offset: 0, length: (await handle.stat()).size, inTrunk: false };
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  /** Opens file `n` for reading; null when not held. The caller closes the handle (or a stream made from it does). */
  async open(n: number, fileId: string): Promise<OpenFile | null> {
    const c = await this.openContent(n);
    if (!c) return null;
    try {
      const found = await this.readMeta(n, c);
      if (found && found.meta.fileId === fileId) return { meta: found.meta, handle: c.handle, offset: c.offset, size: found.size };
    } catch (e) {
      await c.handle.close();
      throw e;
    }
    await c.handle.close();
    return null;
  }

  /** Removes file `n` (one unlink: it stops counting as held at once). False when absent. */
  async remove(n: number): Promise<boolean> {
    if (await this.trunks.remove(n)) return true;
    const dest = filePath(this.filesRoot, n);
    let had = true;
    try {
      await fs.unlink(dest);
    } catch (e) {
      if (!isMissing(e)) throw e;
      had = false;
    }
    // the sidecar of a file stored before metadata went into the tail
    await fs.rm(`${dest}.meta`, { force: true });
    return had;
  }

  /** Free and total bytes of the file system holding the data dir. */
  async disk(): Promise<{ freeBytes: number; totalBytes: number }> {
    const s = await fs.statfs(this.dataDir);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  }
}

/** Refuses a body that has grown past the limit or the announced size. */
function checkSize(size: number, opts: ReceiveOptions): void {
  if (size > opts.maxBytes) throw new TroupeError('limit_exceeded', `the file is larger than the limit of ${opts.maxBytes} bytes`);
  if (opts.expectedSize !== undefined && size > opts.expectedSize) throw new TroupeError('bad_request', `more bytes than the announced ${opts.expectedSize}`);
}

/** Checks a whole body against what was announced and describes it. */
function describeReceived(size: number, sha256: string, opts: ReceiveOptions): { sha256: string; meta: FileMeta } {
  if (opts.expectedSize !== undefined && size !== opts.expectedSize) throw new TroupeError('bad_request', `got ${size} bytes, expected ${opts.expectedSize}`);
  if (opts.expectedSha256 !== undefined && sha256 !== opts.expectedSha256) throw new TroupeError('bad_request', `sha-256 mismatch: got ${sha256}, expected ${opts.expectedSha256}`);
  const meta = opts.describe({ size, sha256 });
  if (meta.size !== size || meta.sha256 !== sha256) throw new Error(`metadata of ${meta.fileId} does not match the bytes`);
  return { sha256, meta };
}
