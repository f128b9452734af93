// Per-process CPU time during a benchmark: a busy 2-core machine makes wall-clock throughput noisy,
// while CPU microseconds per operation in each process (host, gateway, nats-server, Postgres
// backends, the benchmark's own client) stay steady and say where the time goes. Read from
// /proc/<pid>/stat (utime + stime, in clock ticks) for other processes and process.cpuUsage() for
// this one. Linux only; elsewhere the figures are left out.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import postgres from 'postgres';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU time (user + system) a process has used so far, in µs; undefined when it is gone. */
export function processCpuMicros(pid: number): number | undefined {
  if (pid === process.pid) {
    const u = process.cpuUsage();
    return u.user + u.system;
  }
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // the command name (field 2) may hold spaces: fields are counted after its closing parenthesis
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(rest[11]) + Number(rest[12]);
  return (ticks * 1e6) / clockTicks();
}

/**
 * Read and write system calls a process has made so far (/proc/<pid>/io: syscr + syscw, every
 * thread; socket reads and writes among them); undefined when it is gone or not readable.
 */
export function processSyscalls(pid: number): number | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/io`, 'utf8');
    const reads = /^syscr: (\d+)$/m.exec(text);
    const writes = /^syscw: (\d+)$/m.exec(text);
    return reads && writes ? Number(reads[1]) + Number(writes[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Named groups of processes whose CPU is measured together (a group's pids may change, e.g. a pool). */
export type PidSource = () => number[] | Promise<number[]>;

export interface CpuSample {
  /** µs of CPU per group, summed over the group's processes seen at either end. */
  micros: Map<string, number>;
  /** Read and write system calls per group, counted the same way (absent where /proc/<pid>/io is not readable). */
  syscalls: Map<string, number>;
}

/** Measures the CPU each group uses between `start()` and the `stop()` of the measurement it returns. */
export class CpuMeter {
  constructor(private readonly groups: Record<string, PidSource>) {}

  private async read(): Promise<{ cpu: Map<string, Map<number, number>>; calls: Map<string, Map<number, number>> }> {
    const cpu = new Map<string, Map<number, number>>();
    const calls = new Map<string, Map<number, number>>();
    for (const [name, source] of Object.entries(this.groups)) {
      const perCpu = new Map<number, number>();
      const perCalls = new Map<number, number>();
      for (const pid of await source()) {
        const us = processCpuMicros(pid);
        if (us !== undefined) perCpu.set(pid, us);
        const n = processSyscalls(pid);
        if (n !== undefined) perCalls.set(pid, n);
      }
      cpu.set(name, perCpu);
      calls.set(name, perCalls);
    }
    return { cpu, calls };
  }

  async start(): Promise<{ stop(): Promise<CpuSample> }> {
    const before = await this.read();
    // a process that appeared during the run counts from zero; one that left is not counted
    const delta = (after: Map<string, Map<number, number>>, was: Map<string, Map<number, number>>, keepEmpty: boolean) => {
      const out = new Map<string, number>();
      for (const [name, per] of after) {
        let sum = 0;
        for (const [pid, v] of per) sum += v - (was.get(name)?.get(pid) ?? (pid === process.pid ? v : 0));
        if (per.size || keepEmpty) out.set(name, sum);
      }
      return out;
    };
    return {
      stop: async () => {
        const after = await this.read();
        return { micros: delta(after.cpu, before.cpu, true), syscalls: delta(after.calls, before.calls, false) };
      },
    };
  }
}

/** The pids of the Postgres backends serving one database (the benchmark's own, fresh database). */
export function postgresBackends(databaseUrl: string): { source: PidSource; close(): Promise<void> } {
  if (!databaseUrl) return { source: () => [], close: async () => {} };
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  return {
    source: async () => (await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`).map((r) => Number(r.pid)),
    close: () => sql.end({ timeout: 2 }),
  };
}

/** µs of CPU per operation in the named groups (every group when none is named). */
export function cpuPerOp(sample: CpuSample, ops: number, ...groups: string[]): number {
  const names = groups.length ? groups : [...sample.micros.keys()];
  return names.reduce((a, n) => a + (sample.micros.get(n) ?? 0), 0) / Math.max(1, ops);
}

/** `label  12.3 µs/op ...` for each group, given the operations the measurement covered. */
export function formatCpu(sample: CpuSample, ops: number): string {
  const parts = [...sample.micros].map(([name, us]) => `${name} ${(us / Math.max(1, ops)).toFixed(0)}`);
  return `${parts.join(', ')}; total ${cpuPerOp(sample, ops).toFixed(0)} µs CPU/op`;
}

/** `label 3.1` read and write system calls per operation for each group. */
export function formatSyscalls(sample: CpuSample, ops: number): string {
  return [...sample.syscalls].map(([name, n]) => `${name} ${(n / Math.max(1, ops)).toFixed(1)}`).join(', ');
}

/** Reads a Prometheus text exposition and returns a histogram's sum and count (all label sets). */
export function histogramTotals(text: string, name: string): { sum: number; count: number } {
  let sum = 0;
  let count = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}_sum`)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    else if (line.startsWith(`${name}_count`)) count += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return { sum, count };
}
