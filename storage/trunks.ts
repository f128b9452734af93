// Trunk files: where a node keeps its small files, packed, as FastDFS does. Storing a 4 KiB file
// as a file of its own costs an inode, a synchronous write and a share of a directory fsync: on
// this VM's ext4, 250-600 µs of kernel CPU per file (issue #11), more than everything else an
// upload costs together. Here a group of small files committed together is appended to the open
// trunk in one write that returns durable (about 20 µs per file): the trunk is opened O_DSYNC,
// which took 0.5 ms off a group's commit against a write and an fdatasync (one trip through
// libuv's pool instead of two, on a busy event loop).
//
// A trunk `<dir>/<seq>.trunk` is a run of records, each
//   "TRPJ" | kind u8 (1 file, 2 removed) | 3 zero bytes | n f64 BE | body length u32 BE | crc32 u32 BE | body
// where a file's body is what a file of its own would hold (its bytes, then the metadata tail of
// files.ts) and a removal has none. Records are written in order, one write at a time, and a
// failed write closes its trunk to further writes, so an acknowledged record is never behind a
// torn one: reading a trunk stops at the first record that does not check (the tail a crash cut).
// A removal is a record too (durable like the rest; deletes are rare).
//
// Where each file is, is kept in memory (n -> trunk, offset, length), rebuilt at start from each
// sealed trunk's index (`<seq>.index`, written when the trunk is sealed: its records' kinds,
// numbers, offsets and lengths, with the trunk length it covers and a CRC-32; not synced: an index
// that is missing, torn or does not cover the whole trunk is ignored and the trunk read instead).
// A trunk whose live bytes fall under half of it, once sealed, is compacted: its live files are
// appended to the open trunk (durable) and it is removed.
import fs from 'node:fs/promises';
import { closeSync, openSync, writev as writevCb, constants } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';

const MAGIC = 0x54524a50; // "TRPJ"
const HEADER = 24;
const INDEX_MAGIC = 0x54525049; // "TRPI"
const INDEX_HEADER = 16;
const INDEX_ENTRY = 32;
const FILE = 1;
const REMOVED = 2;

export interface TrunkOptions {
  /** A trunk is sealed (no more appends) once it holds this many bytes. */
  trunkBytes: number;
  /** Told when a compaction fails (the trunk is tried again at the next removal in it). */
  onError?: (e: unknown) => void;
}

/** Where a small file's body is. */
export interface TrunkLocation {
  trunk: number;
  /** Byte offset of the body in the trunk. */
  offset: number;
  length: number;
}

interface Trunk {
  seq: number;
  /** Open for appends while this is the active trunk (and until its writes are done). */
  fd?: number;
  /** Bytes written (or being written) so far. */
  end: number;
  /** Bytes of the bodies still live in it (what a compaction would copy). */
  live: number;
  /**
   * The removal records in it, by file number, with the trunk that held the file: a removal is
   * carried to the open trunk when this one is compacted while the file's trunk is still there
   * (dropping it would bring the file back at the next start).
   */
  removals: Map<number, number>;
  /** Writes queued and not yet done: the descriptor of a sealed trunk is closed after the last. */
  writing: number;
  /** Its records in order, kept until its index is written. */
  records?: TrunkRecord[];
  /** A write failed: what is queued behind it fails too, and nothing more goes in. */
  broken?: boolean;
}

const writevAt = (fd: number, bufs: Buffer[], position: number) =>
  new Promise<number>((resolve, reject) => writevCb(fd, bufs, position, (e, n) => (e ? reject(e) : resolve(n))));

function header(kind: number, n: number, body: Buffer[]): Buffer {
  const h = Buffer.alloc(HEADER);
  let len = 0;
  let crc = 0;
  for (const b of body) {
    len += b.length;
    crc = crc32(b, crc);
  }
  h.writeUInt32BE(MAGIC, 0);
  h.writeUInt8(kind, 4);
  h.writeDoubleBE(n, 8);
  h.writeUInt32BE(len, 16);
  h.writeUInt32BE(crc, 20);
  return h;
}

/** A record of a trunk: a file's body at `offset`, or a removal (length 0). */
export interface TrunkRecord {
  kind: 'file' | 'removed';
  n: number;
  offset: number;
  length: number;
}

/** A trunk's index: the records of its first `covers` bytes. */
export function encodeIndex(records: TrunkRecord[], covers: number): Buffer {
  const buf = Buffer.alloc(INDEX_HEADER + records.length * INDEX_ENTRY + 4);
  buf.writeUInt32BE(INDEX_MAGIC, 0);
  buf.writeUInt32BE(records.length, 4);
  buf.writeDoubleBE(covers, 8);
  records.forEach((r, i) => {
    const at = INDEX_HEADER + i * INDEX_ENTRY;
    buf.writeUInt8(r.kind === 'file' ? FILE : REMOVED, at);
    buf.writeDoubleBE(r.n, at + 8);
    buf.writeDoubleBE(r.offset, at + 16);
    buf.writeDoubleBE(r.length, at + 24);
  });
  buf.writeUInt32BE(crc32(buf.subarray(0, buf.length - 4)), buf.length - 4);
  return buf;
}

/** The records an index holds, or null when it does not check or does not cover `trunkLength` bytes. */
export function decodeIndex(buf: Buffer, trunkLength: number): TrunkRecord[] | null {
  if (buf.length < INDEX_HEADER + 4 || buf.readUInt32BE(0) !== INDEX_MAGIC) return null;
  const count = buf.readUInt32BE(4);
  if (buf.length !== INDEX_HEADER + count * INDEX_ENTRY + 4 || buf.readDoubleBE(8) !== trunkLength) return null;
  if (crc32(buf.subarray(0, buf.length - 4)) !== buf.readUInt32BE(buf.length - 4)) return null;
  const out: TrunkRecord[] = [];
  for (let i = 0; i < count; i++) {
    const at = INDEX_HEADER + i * INDEX_ENTRY;
    const kind = buf.readUInt8(at);
    const [n, offset, length] = [buf.readDoubleBE(at + 8), buf.readDoubleBE(at + 16), buf.readDoubleBE(at + 24)];
    if ((kind !== FILE && kind !== REMOVED) || !Number.isSafeInteger(n) || n < 1 || offset + length > trunkLength) return null;
    out.push({ kind: kind === FILE ? 'file' : 'removed', n, offset, length });
  }
  return out;
}

/** The records of one trunk, up to the first that does not check (a torn tail). */
export function* readRecords(buf: Buffer): Generator<TrunkRecord> {
  for (let off = 0; off + HEADER <= buf.length;) {
    if (buf.readUInt32BE(off) !== MAGIC) return;
    const kind = buf.readUInt8(off + 4);
    const n = buf.readDoubleBE(off + 8);
    const len = buf.readUInt32BE(off + 16);
    if ((kind !== FILE && kind !== REMOVED) || !Number.isSafeInteger(n) || n < 1 || off + HEADER + len > buf.length) return;
    if (crc32(buf.subarray(off + HEADER, off + HEADER + len)) !== buf.readUInt32BE(off + 20)) return;
    yield { kind: kind === FILE ? 'file' : 'removed', n, offset: off + HEADER, length: len };
    off += HEADER + len;
  }
}

export class Trunks {
  private readonly where = new Map<number, TrunkLocation>();
  private readonly trunks = new Map<number, Trunk>();
  private active: Trunk | undefined;
  /** The writes in order: each waits for the one before it. */
  private tail: Promise<void> = Promise.resolve();
  private compacting: Promise<void> | undefined;
  private nextSeq = 1;
  /** Index writes in flight (close waits for them). */
  private readonly indexing = new Set<Promise<void>>();
  /** No compaction before every trunk has been read (a trunk half read looks half dead). */
  private opened = false;
  /** No compaction starts while closing (the next open or removal takes it up). */
  private closing = false;

  constructor(readonly dir: string, private readonly o: TrunkOptions) {}

  /**
   * Finds the trunks an earlier run left: where each small file is (from their indexes, or by
   * reading a trunk that has none). Appends go to a new trunk.
   */
  async open(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const names = await fs.readdir(this.dir);
    const seqs = names.map((f) => /^(\d+)\.trunk$/.exec(f)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
    // an index whose trunk a compaction removed
    for (const f of names) {
      const m = /^(\d+)\.index(\.tmp)?$/.exec(f);
      if (m && (m[2] || !seqs.includes(Number(m[1])))) await fs.rm(path.join(this.dir, f), { force: true });
    }
    for (const seq of seqs) {
      const { size } = await fs.stat(this.trunkPath(seq));
      const trunk: Trunk = { seq, end: size, live: 0, removals: new Map(), writing: 0 };
      this.trunks.set(seq, trunk);
      let records = await fs.readFile(this.indexPath(seq)).then((b) => decodeIndex(b, size), () => null);
      if (!records) {
        // no index (the last trunk of a run, or a lost index): read the trunk, and index it (it
        // takes no more appends)
        records = [...readRecords(await fs.readFile(this.trunkPath(seq)))];
        trunk.records = records;
        this.writeIndex(trunk);
      }
      for (const r of records) {
        const was = this.where.get(r.n)?.trunk;
        this.forget(r.n);
        if (r.kind === 'removed' && was !== undefined) trunk.removals.set(r.n, was);
        if (r.kind === 'file') {
          this.where.set(r.n, { trunk: seq, offset: r.offset, length: r.length });
          trunk.live += r.length;
        }
      }
    }
    this.nextSeq = (seqs.at(-1) ?? 0) + 1;
    this.opened = true;
    void this.compact();
  }

  trunkPath(seq: number): string {
    return path.join(this.dir, `${String(seq).padStart(12, '0')}.trunk`);
  }

  private indexPath(seq: number): string {
    return path.join(this.dir, `${String(seq).padStart(12, '0')}.index`);
  }

  /** Writes a sealed trunk's index (temp file and rename; not synced: a lost one costs a read of the trunk at start). */
  private writeIndex(trunk: Trunk): void {
    const records = trunk.records;
    trunk.records = undefined;
    if (!records || trunk.broken) return;
    const file = this.indexPath(trunk.seq);
    const tmp = `${file}.tmp`;
    const writing = fs.writeFile(tmp, encodeIndex(records, trunk.end))
      .then(() => (this.trunks.has(trunk.seq) ? fs.rename(tmp, file) : fs.rm(tmp, { force: true })))
      .catch((e) => this.o.onError?.(e))
      .finally(() => this.indexing.delete(writing));
    this.indexing.add(writing);
  }

  /** Where small file `n` is; undefined when it is not in a trunk. */
  locate(n: number): TrunkLocation | undefined {
    return this.where.get(n);
  }

  /** How many small files and bytes the trunks hold, live and in all. */
  stats(): { files: number; trunks: number; liveBytes: number; bytes: number } {
    let live = 0;
    let bytes = 0;
    for (const t of this.trunks.values()) {
      live += t.live;
      bytes += t.end;
    }
    return { files: this.where.size, trunks: this.trunks.size, liveBytes: live, bytes };
  }

  private writable(): Trunk {
    if (!this.active) {
      const seq = this.nextSeq++;
      const trunk: Trunk = { seq, fd: openSync(this.trunkPath(seq), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_DSYNC, 0o640), end: 0, live: 0, removals: new Map(), writing: 0, records: [] };
      this.trunks.set(seq, trunk);
      this.active = trunk;
    }
    return this.active;
  }

  /**
   * Appends the files (each: the content a file of its own would hold) in one write and makes them
   * durable; then they are found by `locate`. (`from`: a compaction moving files out of that trunk;
   * a file removed while it was being copied stays removed.)
   */
  async append(files: { n: number; content: Buffer[] }[], from?: number): Promise<void> {
    if (!files.length) return;
    const trunk = this.writable();
    const bufs: Buffer[] = [];
    const placed: { n: number; offset: number; length: number }[] = [];
    let at = trunk.end;
    for (const f of files) {
      const h = header(FILE, f.n, f.content);
      const length = h.readUInt32BE(16);
      placed.push({ n: f.n, offset: at + HEADER, length });
      trunk.records?.push({ kind: 'file', n: f.n, offset: at + HEADER, length });
      at += HEADER + length;
      bufs.push(h, ...f.content);
    }
    await this.write(trunk, bufs);
    for (const p of placed) {
      if (from !== undefined && this.where.get(p.n)?.trunk !== from) continue;
      this.forget(p.n);
      this.where.set(p.n, { trunk: trunk.seq, offset: p.offset, length: p.length });
      trunk.live += p.length;
    }
  }

  /** Removes small file `n`. False when no trunk holds it. */
  async remove(n: number): Promise<boolean> {
    const was = this.where.get(n)?.trunk;
    if (was === undefined) return false;
    this.forget(n);
    await this.writeRemoval(n, was);
    return true;
  }

  private writeRemoval(n: number, fileTrunk: number): Promise<void> {
    const trunk = this.writable();
    trunk.removals.set(n, fileTrunk);
    trunk.records?.push({ kind: 'removed', n, offset: trunk.end + HEADER, length: 0 });
    return this.write(trunk, [header(REMOVED, n, [])]);
  }

  /** Drops n from the map and its bytes from its trunk's live count; compacts a trunk half dead. */
  private forget(n: number): void {
    const loc = this.where.get(n);
    if (!loc) return;
    this.where.delete(n);
    const t = this.trunks.get(loc.trunk);
    if (!t) return;
    t.live -= loc.length;
    if (t !== this.active && t.fd === undefined && t.live * 2 < t.end) void this.compact();
  }

  /** Appends `bufs` to the trunk after the writes before them; durable when it resolves (O_DSYNC). */
  private write(trunk: Trunk, bufs: Buffer[]): Promise<void> {
    let len = 0;
    for (const b of bufs) len += b.length;
    const at = trunk.end;
    trunk.end += len;
    if (trunk === this.active && trunk.end >= this.o.trunkBytes) this.active = undefined;
    trunk.writing++;
    const done = this.tail.then(async () => {
      if (trunk.broken) throw new Error('an earlier write to this trunk failed');
      let written = 0;
      while (written < len) {
        // a short write (rare on a regular file): the rest from where it stopped
        const rest = written === 0 ? bufs : [Buffer.concat(bufs).subarray(written)];
        written += await writevAt(trunk.fd!, rest, at + written);
      }
    });
    this.tail = done.then(() => {}, () => {
      // a failed write leaves a hole or a torn record: nothing goes after it in this trunk
      trunk.broken = true;
      if (this.active === trunk) this.active = undefined;
    }).finally(() => {
      trunk.writing--;
      this.closeIfSealed(trunk);
    });
    return done;
  }

  /** A trunk no longer active has its descriptor closed once its last write is done. */
  private closeIfSealed(trunk: Trunk): void {
    if (trunk === this.active || trunk.fd === undefined || trunk.writing > 0) return;
    closeSync(trunk.fd);
    trunk.fd = undefined;
    this.writeIndex(trunk);
    if (trunk.live * 2 < trunk.end) void this.compact();
  }

  /**
   * Compacts the sealed trunks that are less than half live, one at a time: their live files go
   * to the open trunk (durable), then the trunk is removed. A read that opened the old trunk
   * keeps reading it (its descriptor outlives the unlink).
   */
  private compact(): Promise<void> {
    if (!this.opened || this.closing) return this.compacting ?? Promise.resolve();
    this.compacting ??= (async () => {
      // not before `compacting` is set (the finally below clears it)
      await null;
      try {
        for (;;) {
          const victim = [...this.trunks.values()].find((t) => t !== this.active && t.fd === undefined && t.live * 2 < t.end);
          if (!victim) break;
          const moving = [...this.where].filter(([, loc]) => loc.trunk === victim.seq);
          if (moving.length) {
            const handle = await fs.open(this.trunkPath(victim.seq), 'r');
            try {
              // in batches, so memory stays bounded by the batch, not the trunk
              for (let i = 0; i < moving.length;) {
                const batch: { n: number; content: Buffer[] }[] = [];
                let bytes = 0;
                for (; i < moving.length && bytes < 4 * 1024 * 1024; i++) {
                  const [n, loc] = moving[i];
                  const buf = Buffer.allocUnsafe(loc.length);
                  await readFully(handle, buf, loc.offset);
                  batch.push({ n, content: [buf] });
                  bytes += loc.length;
                }
                // a file removed meanwhile is not copied (it would come back)
                await this.append(batch.filter((f) => this.where.get(f.n)?.trunk === victim.seq), victim.seq);
              }
            } finally {
              await handle.close();
            }
          }
          // removals of files whose trunks are still here must outlive this trunk
          const carried = [...victim.removals].filter(([, t]) => t !== victim.seq && this.trunks.has(t));
          await Promise.all(carried.map(([n, t]) => this.writeRemoval(n, t)));
          this.trunks.delete(victim.seq);
          await fs.rm(this.trunkPath(victim.seq), { force: true });
          await fs.rm(this.indexPath(victim.seq), { force: true });
        }
      } catch (e) {
        this.o.onError?.(e);
      } finally {
        this.compacting = undefined;
      }
    })();
    return this.compacting;
  }

  /** Waits for the writes and a compaction in flight and closes the open trunk. */
  async close(): Promise<void> {
    this.closing = true;
    try {
      await this.compacting;
      const active = this.active;
      this.active = undefined;
      if (active) this.closeIfSealed(active);
      await this.tail;
      await Promise.all(this.indexing);
    } finally {
      this.closing = false;
    }
  }
}

/** Reads exactly `buf.length` bytes at `position`. */
export async function readFully(handle: fs.FileHandle, buf: Buffer, position: number): Promise<void> {
  for (let off = 0; off < buf.length;) {
    const { bytesRead } = await handle.read(buf, off, buf.length - off, position + off);
    if (bytesRead === 0) throw new Error('the file ended early');
    off += bytesRead;
  }
}
