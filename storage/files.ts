// A node's file bytes on local disk. Incoming bytes (uploads and replication) stream into a temp
// file under <data>/tmp while their sha-256 is computed, are fsynced, then renamed into the layout
// (layout.ts) and the directory fsynced: a file is either absent or complete, never partial.
// Memory stays constant for any size: one chunk is written before the next is read. The metadata
// (the binlog create record) sits beside the bytes in `<ddd>.meta` and is written last and removed
// first, so "the .meta exists" means "this node holds the file".
import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { TroupeError, BinlogCreate, isValid } from '../protocol/mod.ts';
import { filePath } from './layout.ts';

export type FileMeta = BinlogCreate;

export interface Received {
  tempPath: string;
  size: number;
  sha256: string;
}

export interface ReceiveOptions {
  /** Refuse (limit_exceeded) once more than this many bytes arrive. */
  maxBytes: number;
  /** When known (Content-Length, a binlog record): any other size is refused. */
  expectedSize?: number;
  /** When known: any other digest is refused. */
  expectedSha256?: string;
  /** Called with each chunk's length (metrics, transfer rates). */
  onBytes?: (n: number) => void;
}

export interface OpenFile {
  meta: FileMeta;
  handle: fs.FileHandle;
  size: number;
}

async function fsyncDir(dir: string): Promise<void> {
  const h = await fs.open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Temp file names: unique in this process (the temp dir is emptied at start), no random bytes per upload. */
let tempSeq = 0;
const tempName = (ext: string) => `${process.pid}-${Date.now().toString(36)}-${(tempSeq++).toString(36)}.${ext}`;

export class FileStore {
  readonly filesRoot: string;
  readonly tmpRoot: string;
  /** Directories known to exist (the layout's directories are never removed). */
  private readonly dirsMade = new Set<string>();

  constructor(readonly dataDir: string) {
    this.filesRoot = path.join(dataDir, 'files');
    this.tmpRoot = path.join(dataDir, 'tmp');
  }

  /** Creates the directories and removes temp files a crashed process left behind. */
  async init(): Promise<void> {
    await fs.mkdir(this.filesRoot, { recursive: true });
    await fs.mkdir(this.tmpRoot, { recursive: true });
    for (const name of await fs.readdir(this.tmpRoot)) await fs.rm(path.join(this.tmpRoot, name), { force: true, recursive: true });
  }

  /**
   * Streams `source` into a temp file, hashing on the way. On any failure the temp file is gone and
   * the source destroyed (an HTTP server passes a stream piped from the request, so the socket
   * survives to carry the error response).
   */
  async receive(source: Readable, opts: ReceiveOptions): Promise<Received> {
    if (opts.expectedSize !== undefined && opts.expectedSize > opts.maxBytes) {
      throw new TroupeError('limit_exceeded', `the file is ${opts.expectedSize} bytes; the limit is ${opts.maxBytes}`);
    }
    const tempPath = path.join(this.tmpRoot, tempName('part'));
    const hash = createHash('sha256');
    let size = 0;
    // one descriptor from open to fsync: a 4 KiB upload costs open, write, fsync and close (a
    // stream pipeline and a second open for the fsync cost more than the bytes)
    let h: fs.FileHandle | undefined;
    try {
      h = await fs.open(tempPath, 'wx', 0o640);
      for await (const chunk of source as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > opts.maxBytes) throw new TroupeError('limit_exceeded', `the file is larger than the limit of ${opts.maxBytes} bytes`);
        if (opts.expectedSize !== undefined && size > opts.expectedSize) throw new TroupeError('bad_request', `more bytes than the announced ${opts.expectedSize}`);
        hash.update(chunk);
        opts.onBytes?.(chunk.length);
        for (let off = 0; off < chunk.length;) off += (await h.write(chunk, off)).bytesWritten;
      }
      if (opts.expectedSize !== undefined && size !== opts.expectedSize) throw new TroupeError('bad_request', `got ${size} bytes, expected ${opts.expectedSize}`);
      const sha256 = hash.digest('hex');
      if (opts.expectedSha256 !== undefined && sha256 !== opts.expectedSha256) throw new TroupeError('bad_request', `sha-256 mismatch: got ${sha256}, expected ${opts.expectedSha256}`);
      await h.sync();
      await h.close();
      h = undefined;
      return { tempPath, size, sha256 };
    } catch (e) {
      // the source is left half read: destroy it, so whoever pipes into it stops
      if (!source.destroyed) source.destroy();
      await h?.close().catch(() => {});
      await fs.rm(tempPath, { force: true });
      throw e;
    }
  }

  /** Drops a received temp file that will not be committed. */
  async discard(received: Received): Promise<void> {
    await fs.rm(received.tempPath, { force: true });
  }

  /** Moves received bytes into place as file `n` and writes its metadata; durable when it returns. */
  async commit(received: Received, n: number, meta: FileMeta): Promise<void> {
    if (meta.size !== received.size || meta.sha256 !== received.sha256) throw new Error(`commit of ${meta.fileId}: metadata does not match the bytes`);
    const dest = filePath(this.filesRoot, n);
    const dir = path.dirname(dest);
    const created = await fs.mkdir(dir, { recursive: true });
    await fs.rename(received.tempPath, dest);
    const metaTemp = path.join(this.tmpRoot, `${randomBytes(12).toString('hex')}.meta`);
    const h = await fs.open(metaTemp, 'wx', 0o640);
    try {
      await h.writeFile(JSON.stringify(meta));
      await h.sync();
    } finally {
      await h.close();
    }
    await fs.rename(metaTemp, `${dest}.meta`);
    await fsyncDir(dir);
    if (created) {
      // new directories: their entries in the parents must reach the disk too
      for (let d = path.dirname(dir); d.length >= this.filesRoot.length; d = path.dirname(d)) await fsyncDir(d);
    }
  }

  /**
   * Moves several received files into place with their metadata, durable together: the renames
   * and metadata files (written and fsynced side by side), the metadata renames, then each
   * directory touched fsynced once. Per file: true, or the error that kept it out (its temp file is
   * left to discard).
   */
  async commitMany(items: { received: Received; n: number; meta: FileMeta }[]): Promise<(true | Error)[]> {
    const out: (true | Error)[] = items.map(() => true);
    const dirs = new Map<string, Promise<string | undefined>>();
    const metas: { i: number; temp: string; dest: string }[] = [];
    await Promise.all(items.map(async ({ received, n, meta }, i) => {
      try {
        if (meta.size !== received.size || meta.sha256 !== received.sha256) throw new Error(`commit of ${meta.fileId}: metadata does not match the bytes`);
        const dest = filePath(this.filesRoot, n);
        const dir = path.dirname(dest);
        if (!dirs.has(dir)) dirs.set(dir, this.dirsMade.has(dir) ? Promise.resolve(undefined) : fs.mkdir(dir, { recursive: true }));
        await dirs.get(dir);
        await fs.rename(received.tempPath, dest);
        const temp = path.join(this.tmpRoot, tempName('meta'));
        const h = await fs.open(temp, 'wx', 0o640);
        try {
          await h.writeFile(JSON.stringify(meta));
          await h.sync();
        } finally {
          await h.close();
        }
        metas.push({ i, temp, dest });
      } catch (e) {
        out[i] = e as Error;
      }
    }));
    await Promise.all(metas.map(async (m) => {
      try {
        await fs.rename(m.temp, `${m.dest}.meta`);
      } catch (e) {
        out[m.i] = e as Error;
      }
    }));
    // new directories: their entries in the parents must reach the disk too
    const toSync = new Set<string>(dirs.keys());
    for (const [dir, made] of dirs) if (await made) for (let d = path.dirname(dir); d.length >= this.filesRoot.length; d = path.dirname(d)) toSync.add(d);
    try {
      await Promise.all([...toSync].map((d) => fsyncDir(d)));
    } catch (e) {
      return out.map((r) => (r === true ? (e as Error) : r));
    }
    for (const d of dirs.keys()) this.dirsMade.add(d);
    return out;
  }

  /** The metadata of file `n`, or null when this node does not hold it. */
  async meta(n: number): Promise<FileMeta | null> {
    let text: string;
    try {
      text = await fs.readFile(`${filePath(this.filesRoot, n)}.meta`, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    const meta: unknown = JSON.parse(text);
    if (!isValid(BinlogCreate, meta)) throw new Error(`corrupt metadata for file ${n}`);
    return meta;
  }

  /** Opens file `n` for reading; null when not held. The caller closes the handle (or a stream made from it does). */
  async open(n: number, fileId: string): Promise<OpenFile | null> {
    const meta = await this.meta(n);
    if (!meta || meta.fileId !== fileId) return null;
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(filePath(this.filesRoot, n), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    const { size } = await handle.stat();
    return { meta, handle, size };
  }

  /** Removes file `n` (metadata first, so it stops counting as held at once). False when absent. */
  async remove(n: number): Promise<boolean> {
    const dest = filePath(this.filesRoot, n);
    let had = true;
    try {
      await fs.unlink(`${dest}.meta`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      had = false;
    }
    await fs.rm(dest, { force: true });
    return had;
  }

  /** Free and total bytes of the file system holding the data dir. */
  async disk(): Promise<{ freeBytes: number; totalBytes: number }> {
    const s = await fs.statfs(this.dataDir);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  }
}
