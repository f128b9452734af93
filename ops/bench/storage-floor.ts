// The durable floor of `bench storage`: the least work a durable upload needs on this disk, at the
// same concurrency, measured in the same run. nginx's WebDAV PUT does not fsync, so beating it is
// not always physically possible; this says how close a storage node comes to what the disk allows.
//
// Per upload: create a temp file, write the bytes in one write, fsync, close (a file of up to
// 1 MiB is opened O_SYNC instead, so its write returns durable, as a storage node does it). Then,
// as a storage node does (storage/upload-commits.ts), the uploads waiting together are renamed into
// place, their directory is fsynced once (through a handle kept open), and their rows go into
// Postgres in one insert (one WAL flush), since the node does not answer before its row is in.
// A small file (up to SMALL_MAX, as a storage node packs it into a trunk: storage/trunks.ts)
// needs no file of its own: the group's bytes are appended to one file in one write and made
// durable as it returns (O_DSYNC, as a trunk is opened), then the rows go in.
// Nothing else: no HTTP, no sha-256, no ids, no binlog record (NATS 2.9 does not fsync per
// message, so the binlog adds no durable work).
import fsp from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import type { LoadResult } from './harness.ts';
import { SMALL_MAX } from '../../storage/mod.ts';

const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
/** Files up to this size go in one O_SYNC write (as storage/files.ts writes them: its WRITE_BATCH). */
const ONE_WRITE = 1024 * 1024;

export interface FloorOptions {
  /** A fresh directory on the file system under test. */
  dir: string;
  size: number;
  streams: number;
  /** Run for this long (seconds)… */
  seconds?: number;
  /** …or until this many uploads are done. */
  count?: number;
  /** Makes `n` rows durable in one transaction (omitted: files only). */
  rows?: (n: number) => Promise<void>;
}

export interface FloorResult extends LoadResult {
  /** µs of CPU this process spent per upload (JS and the kernel work of its syscalls). */
  cpuMicros: number;
  /** Mean uploads made durable together. */
  group: number;
}

export async function durableFloor(o: FloorOptions): Promise<FloorResult> {
  const tmp = path.join(o.dir, 'tmp');
  const files = path.join(o.dir, 'files');
  await fsp.mkdir(tmp, { recursive: true });
  await fsp.mkdir(files, { recursive: true });
  // the directory stays open for its fsyncs, as a storage node keeps it
  const dirHandle = await fsp.open(files, 'r');
  const body = Buffer.alloc(o.size, 0x5a);
  const oneWrite = o.size <= ONE_WRITE;
  const packed = o.size <= SMALL_MAX;
  const trunk = packed ? await fsp.open(path.join(o.dir, 'trunk'), constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_DSYNC, 0o640) : undefined;
  let trunkEnd = 0;
  let waiting: { temp: string; dest: string; done: (e?: unknown) => void }[] = [];
  let busy = false;
  let groups = 0;
  let grouped = 0;
  const drain = async () => {
    busy = true;
    while (waiting.length) {
      const group = waiting;
      waiting = [];
      groups++;
      grouped += group.length;
      try {
        if (trunk) {
          const { bytesWritten } = await trunk.writev(group.map(() => body), trunkEnd);
          trunkEnd += bytesWritten;
        } else {
          await Promise.all(group.map((w) => fsp.rename(w.temp, w.dest)));
          await dirHandle.sync();
        }
        await o.rows?.(group.length);
        for (const w of group) w.done();
      } catch (e) {
        for (const w of group) w.done(e);
      }
    }
    busy = false;
  };
  let seq = 0;
  const upload = async () => {
    const n = seq++;
    const temp = path.join(tmp, `${n}.part`);
    if (packed) {
      await new Promise<void>((resolve, reject) => {
        waiting.push({ temp, dest: '', done: (e) => (e ? reject(e) : resolve()) });
        if (!busy) void drain();
      });
      return;
    }
    const h = await fsp.open(temp, oneWrite ? CREATE | constants.O_SYNC : CREATE, 0o640);
    try {
      await h.write(body, 0, body.length, 0);
      if (!oneWrite) await h.sync();
    } finally {
      await h.close();
    }
    await new Promise<void>((resolve, reject) => {
      waiting.push({ temp, dest: path.join(files, String(n)), done: (e) => (e ? reject(e) : resolve()) });
      if (!busy) void drain();
    });
  };

  const latencies: number[] = [];
  let errors = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const end = o.seconds !== undefined ? started + o.seconds * 1000 : Infinity;
  const limit = o.count ?? Infinity;
  let issued = 0;
  await Promise.all(Array.from({ length: o.streams }, async () => {
    while (performance.now() < end && issued < limit) {
      issued++;
      const t = performance.now();
      try {
        await upload();
        latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await dirHandle.close();
  await trunk?.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const ops = latencies.length;
  return {
    label: `floor ${o.size} B uploads`, ops, seconds, perSecond: ops / seconds, p50: at(0.5), p99: at(0.99), errors, latencies,
    cpuMicros: (used.user + used.system) / Math.max(1, ops), group: grouped / Math.max(1, groups),
  };
}
