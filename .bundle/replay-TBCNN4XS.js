import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  actorKinds
} from "./chunk-XYQ34O77.js";
import "./chunk-XZMVVC4Q.js";
import "./chunk-R2TDF4GX.js";
import "./chunk-FCC3TXGQ.js";
import {
  migrate,
  openDatabase,
  readHistory,
  replayInto,
  streamBounds
} from "./chunk-JDHSYC6X.js";
import "./chunk-S47W34VH.js";
import {
  ConfigError,
  callService,
  command,
  configureLogging,
  connectAs,
  parseActorSubject
} from "./chunk-DBBPO6IK.js";

// ops/commands/replay.ts
function parseWhen(v, name) {
  if (v === void 0) return void 0;
  const s = String(v);
  const rel = /^(\d+)(s|m|h|d)$/.exec(s);
  if (rel) return new Date(Date.now() - Number(rel[1]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[rel[2]]);
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new Error(`--${name}: expected an ISO time or an age like 15m, 2h, 1d; got "${s}"`);
  return d;
}
function seqFlag(v, name) {
  if (v === void 0) return void 0;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected a stream sequence (a whole number from 1), got "${v}"`);
  return n;
}
var replay_default = command({
  name: "replay",
  summary: "read actor mailbox history (ACTORS stream), or re-run it to audit stored state",
  usage: "troupe replay [--filter SUBJECT] [--from-seq N] [--to-seq N] [--since T] [--until T] [--audit] [settings]",
  description: `
Reads the ACTORS stream in order for a subject filter (default act.>, e.g. act.room.>, or one
actor: act.user.*.42) and a sequence or time range (--since 2026-11-22T10:00:00Z or --since 2h),
printing one line per message: sequence, time, subject, idempotency key, body. Progress goes to
stderr.

--audit re-runs the history through the actor machines (the real runtime worker) into a scratch
in-memory database and compares each actor with the state stored in Postgres (through
svc.actors.inspect) at the same version: it reads the stored versions first, then the history up
to the stream's end, and takes each actor's replayed state when it reaches the stored version. So
it can run on a live system: messages applied meanwhile are not differences. An audit needs the
history from each actor's first message, so it reads from the stream's start (--filter only).`,
  groups: ["common", "nats", "host"],
  flags: {
    filter: { type: "string", help: "subject filter", default: "act.>" },
    "from-seq": { type: "string", help: "first stream sequence" },
    "to-seq": { type: "string", help: "last stream sequence" },
    since: { type: "string", help: "start time (ISO) or age (30m, 2h, 1d)" },
    until: { type: "string", help: "end time (ISO) or age" },
    audit: { type: "boolean", help: "re-run through the machines into a scratch database and compare with the stored state" }
  },
  async run({ config, flags }) {
    const range = { filter: String(flags.filter), fromSeq: seqFlag(flags["from-seq"], "from-seq"), toSeq: seqFlag(flags["to-seq"], "to-seq"), since: parseWhen(flags.since, "since"), until: parseWhen(flags.until, "until") };
    if (flags.audit && (range.fromSeq || range.toSeq || range.since || range.until)) {
      throw new ConfigError("--audit replays each actor from its first message up to the version that is stored now; it takes --filter only");
    }
    const nc = await connectAs(config, "ops", "replay", { maxReconnectAttempts: 0 });
    const progress = new ReadProgress();
    try {
      const bounds = await streamBounds(nc);
      if (!flags.audit) {
        let n = 0;
        for await (const m of readHistory(nc, range, (seq, last) => progress.at(seq, last))) {
          n++;
          console.log(`${m.seq}	${new Date(m.time).toISOString()}	${m.subject}	${m.key}	${new TextDecoder().decode(m.data)}`);
        }
        progress.done(`${n} messages (stream holds ${bounds.firstSeq}..${bounds.lastSeq})`);
        return 0;
      }
      if (bounds.firstSeq > 1) console.error(`note: the stream starts at seq ${bounds.firstSeq} (older history expired); actors older than that will not match`);
      return await audit(nc, config, range.filter, progress);
    } finally {
      await nc.close();
    }
  }
});
var ReadProgress = class {
  tty = process.stderr.isTTY === true;
  shown = Date.now();
  read = 0;
  at(seq, last) {
    this.read++;
    const now = Date.now();
    if (now - this.shown < (this.tty ? 250 : 5e3)) return;
    this.shown = now;
    process.stderr.write(`${this.tty ? "\r" : ""}  read ${this.read} messages, up to seq ${seq} of ${last}${this.tty ? "" : "\n"}`);
  }
  /** The final line (it replaces the progress line on a terminal). */
  done(line) {
    process.stderr.write(`${this.tty ? "\r\x1B[K" : ""}${line}
`);
    this.read = 0;
    this.shown = Date.now();
  }
};
async function audit(nc, config, filter, progress) {
  const history = [];
  for await (const m of readHistory(nc, { filter }, (seq, last) => progress.at(seq, last))) history.push(m);
  const firstEnd = history.length ? history[history.length - 1].seq : 0;
  const actors = /* @__PURE__ */ new Map();
  for (const m of history) {
    const a = parseActorSubject(m.subject);
    if (a) actors.set(`${a.kind}.${a.id}`, { kind: a.kind, id: a.id });
  }
  const stored = /* @__PURE__ */ new Map();
  for (const [key, a] of actors) {
    const s = await callService(nc, "svc.actors.inspect", a, 5e3);
    if (s.found) stored.set(key, { version: s.version ?? 0, state: s.state });
  }
  for await (const m of readHistory(nc, { filter, fromSeq: firstEnd + 1 }, (seq, last) => progress.at(seq, last))) history.push(m);
  progress.done(`  ${history.length} messages read (up to seq ${history.length ? history[history.length - 1].seq : 0}), ${actors.size} actors; replaying through the machines...`);
  configureLogging("warn");
  const scratch = await openDatabase({ databaseUrl: "memory:" });
  try {
    await migrate(scratch, "");
    const atStoredVersion = /* @__PURE__ */ new Map();
    const createdAt = /* @__PURE__ */ new Map();
    const replayed = await replayInto(scratch, history, actorKinds(config), config.partitions, {
      staged(_h, _p, _e, c) {
        if (c.version === 1) createdAt.set(c.actor, c.seq);
        if (stored.get(c.actor)?.version === c.version) atStoredVersion.set(c.actor, structuredClone(c.state));
      }
    });
    let mismatches = 0;
    let compared = 0;
    const differ = (key, why, replayedState, storedState) => {
      mismatches++;
      console.log(`MISMATCH ${key}: ${why}`);
      console.log(`  replayed: ${JSON.stringify(replayedState)}`);
      console.log(`  stored:   ${JSON.stringify(storedState)}`);
    };
    for (const key of actors.keys()) {
      const s = stored.get(key);
      const r = replayed.get(key);
      if (!s) {
        if (r && (createdAt.get(key) ?? Infinity) <= firstEnd) differ(key, "the replay created it, nothing is stored", r.state, null);
        continue;
      }
      compared++;
      if (!atStoredVersion.has(key)) differ(key, `stored version ${s.version}, but the replay reached only version ${r?.version ?? 0}`, r?.state ?? null, s.state);
      else if (canonical(atStoredVersion.get(key)) !== canonical(s.state)) differ(key, `the states at version ${s.version} differ`, atStoredVersion.get(key), s.state);
    }
    console.log(`audit: ${compared} actors replayed from ${history.length} messages; ${compared - mismatches} match the stored state, ${mismatches} differ`);
    return mismatches ? 1 : 0;
  } finally {
    await scratch.close();
  }
}
function canonical(v) {
  return JSON.stringify(v, (_k, x) => x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) : x);
}
export {
  replay_default as default
};
