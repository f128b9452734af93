// The benchmarks `npm run bench -- <name>` runs. Each prints its figures beside a baseline measured
// in the same run (this machine is shared and noisy, so only same-run ratios mean anything).
import { actorsBench } from './actors.ts';
import { chatBench } from './chat.ts';
import { storageBench } from './storage.ts';
import { soakBench } from './soak.ts';
import { webBench } from './web.ts';
import { watchBench } from './watch.ts';
import type { ExtraOption } from '../../lib/mod.ts';
import type { LoadResult } from './harness.ts';

export interface BenchOptions {
  seconds: number;
  concurrency: number;
  /** Values of the benchmarks' own flags (see `flags`). */
  flags: Record<string, string | boolean | string[] | undefined>;
}

export interface Benchmark {
  name: string;
  summary: string;
  /** Flags of this benchmark beyond --seconds and --concurrency (the bench command accepts every benchmark's). */
  flags?: Record<string, ExtraOption>;
  run(opts: BenchOptions): Promise<{ rows: LoadResult[] }>;
}

export const benchmarks: Benchmark[] = [actorsBench, chatBench, storageBench, webBench, watchBench, soakBench];
export { closedLoop, benchEnv, type LoadResult } from './harness.ts';
