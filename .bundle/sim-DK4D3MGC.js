import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  defaultSimOptions,
  runSeed
} from "./chunk-XZMVVC4Q.js";
import "./chunk-S47W34VH.js";
import {
  command
} from "./chunk-DBBPO6IK.js";

// ops/commands/sim.ts
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
var self = fileURLToPath(import.meta.url);
function printFailure(r) {
  console.log(`FAIL seed ${r.seed}: ${r.violations.length} violation(s)`);
  for (const v of r.violations) console.log(`  - ${v}`);
  console.log(`  replay: npm run troupe -- sim --seed ${r.seed}`);
}
async function child(from, count, opts) {
  for (let s = from; s < from + count; s++) process.send(await runSeed(s, opts));
  process.exit(0);
}
if (process.env.TROUPE_SIM_CHILD) {
  const { from, count, opts } = JSON.parse(process.env.TROUPE_SIM_CHILD);
  void child(from, count, opts);
}
var sim_default = command({
  name: "sim",
  summary: "deterministic simulation of the actor runtime with injected faults",
  usage: "troupe sim [--seed N | --seeds COUNT [--from S]] [--hosts H] [--partitions P]",
  description: `
Runs the real actor runtime (placement, leases, workers, fencing, outbox, timers) over an
in-memory NATS and Postgres driven by a seed: dropped, delayed and duplicated messages, lost acks
and redeliveries, store and KV errors, host crashes (also right after a commit), hosts frozen past
their lease (stale owners, also in mid-transaction), graceful hand-overs, late duplicate commands.
After the faults heal it checks the recorded history: one holder per partition and epoch, no two
hosts running an actor at once, every accepted command applied exactly once, per-actor versions
gapless, totals conserved, every deadline fired once. A failing seed prints its violations and
replays exactly with --seed.`,
  groups: [],
  flags: {
    seed: { type: "string", help: "run this one seed and print its history summary" },
    seeds: { type: "string", help: "run this many seeds", default: "100" },
    from: { type: "string", help: "first seed of --seeds", default: "1" },
    jobs: { type: "string", help: "processes to run seeds in", default: "2" },
    hosts: { type: "string", help: "hosts at the start", default: String(defaultSimOptions.hosts) },
    partitions: { type: "string", help: "partitions", default: String(defaultSimOptions.partitions) },
    "no-faults": { type: "boolean", help: "run without injected faults" }
  },
  async run({ flags }) {
    const int = (name, v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${v}`);
      return n;
    };
    const opts = { hosts: int("hosts", flags.hosts), partitions: int("partitions", flags.partitions), faults: !flags["no-faults"] };
    if (flags.seed !== void 0) {
      const r = await runSeed(int("seed", flags.seed), opts);
      console.log(`seed ${r.seed}: ${r.ok ? "ok" : "FAILED"}  digest ${r.digest}`);
      console.log(`  ${JSON.stringify(r.stats)}`);
      if (!r.ok) printFailure(r);
      return r.ok ? 0 : 1;
    }
    const count = int("seeds", flags.seeds);
    const from = int("from", flags.from);
    const jobs = Math.max(1, Math.min(int("jobs", flags.jobs), count));
    const started = Date.now();
    let done = 0;
    const failed = [];
    const per = Math.ceil(count / jobs);
    await Promise.all(Array.from({ length: jobs }, (_, j) => new Promise((resolve, reject) => {
      const first = from + j * per;
      const n = Math.max(0, Math.min(per, from + count - first));
      if (n === 0) return resolve();
      const c = fork(self, [], { execArgv: ["--import", "tsx"], env: { ...process.env, TROUPE_SIM_CHILD: JSON.stringify({ from: first, count: n, opts }) } });
      c.on("message", (r) => {
        done++;
        if (!r.ok) {
          failed.push(r);
          printFailure(r);
        }
        if (done % 500 === 0 || done === count) console.log(`  ${done}/${count} seeds, ${failed.length} failed, ${((Date.now() - started) / 1e3).toFixed(0)} s`);
      });
      c.on("exit", (code) => code === 0 ? resolve() : reject(new Error(`simulation process exited with ${code}`)));
    })));
    console.log(`${count} seeds from ${from}: ${count - failed.length} ok, ${failed.length} failed (${((Date.now() - started) / 1e3).toFixed(1)} s)`);
    return failed.length ? 1 : 0;
  }
});
export {
  sim_default as default
};
