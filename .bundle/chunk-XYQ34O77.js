import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  counterKind
} from "./chunk-XZMVVC4Q.js";
import {
  webClientRoutes
} from "./chunk-R2TDF4GX.js";
import {
  import_websocket_server
} from "./chunk-FCC3TXGQ.js";
import {
  and,
  desc,
  eq,
  getTableName,
  gt,
  inArray,
  isNull,
  migrate,
  natsActorClient,
  openDatabase,
  partitioned_exports,
  queryRows,
  readPartitionCount,
  sql,
  startActorRuntime,
  tables_exports
} from "./chunk-JDHSYC6X.js";
import {
  assign,
  createActor,
  defineKind,
  effects,
  emit,
  enqueueActions,
  setup,
  waitFor
} from "./chunk-S47W34VH.js";
import {
  AdminLibraryItem,
  AdminMessage,
  AdminRoom,
  BinlogCreate,
  BinlogRecord,
  ConfigError,
  ContentType,
  FILE_ID_PATTERN,
  FileId,
  FileName,
  FrameDecoder,
  GROUP_NAME_PATTERN,
  GroupMessage,
  NodeDirectory,
  NodeRegistration,
  RoomMessage,
  TicketPayload,
  TrackerMessage,
  TroupeError,
  Type,
  UserFriendMessage,
  UserPresenceMessage,
  WatchMessage,
  __toESM,
  buckets,
  callService,
  consumers,
  counter,
  endTime,
  ensureKv,
  ensureStream,
  errorResponse,
  gauge,
  histogram,
  isOpName,
  isValid,
  logger,
  metricsText,
  okResponse,
  openKv,
  ops,
  parseEnvelope,
  projectRoot,
  pushEnvelope,
  refusal,
  require_mod,
  require_mod2,
  resolveDataPath,
  ridOf,
  serve,
  storagePublicHost,
  streams,
  subjects,
  targetPosition,
  toWireError,
  validate
} from "./chunk-DBBPO6IK.js";

// ops/roles.ts
import path5 from "node:path";
var import_kv = __toESM(require_mod2(), 1);

// actors/user/presence.ts
function connect(conns, key, conn, maxDevices) {
  if (conns[key]) return { conns, kicked: [] };
  const kicked = Object.entries(conns).filter(([, c]) => c.device.type === conn.device.type).map(([k]) => k);
  const next = {};
  for (const [k, c] of Object.entries(conns)) if (!kicked.includes(k)) next[k] = c;
  const byAge = Object.entries(next).sort((a, b) => a[1].since - b[1].since || a[0].localeCompare(b[0]));
  while (byAge.length >= maxDevices) {
    const [k] = byAge.shift();
    delete next[k];
    kicked.push(k);
  }
  next[key] = conn;
  return { conns: next, kicked };
}
function disconnect(conns, key) {
  if (!conns[key]) return conns;
  const { [key]: _gone, ...rest } = conns;
  return rest;
}
function dropGateway(conns, gateway) {
  const next = {};
  for (const [k, c] of Object.entries(conns)) if (c.gateway !== gateway) next[k] = c;
  return next;
}
function deviceTypes(conns) {
  return Object.values(conns).map((c) => c.device.type).sort();
}

// actors/user/friends.ts
var directRoom = (a, b) => a < b ? `d${a}-${b}` : `d${b}-${a}`;
function set(st, other, f) {
  const friends = { ...st.friends };
  if (f) friends[other] = f;
  else delete friends[other];
  return { ...st, friends };
}
function changed(st, other, name, status) {
  return [
    effects.publish(subjects.userEvents(st.uid), { push: { op: "friends.update", user: { id: other, name }, status } }),
    effects.write("friend", { user: st.uid, other, status: status === "none" ? null : status })
  ];
}
var peer = (other, body) => effects.send("user", String(other), body);
var out = (state, ...e) => ({ state, effects: e });
var fail = (st, _op, code, message) => out(st, effects.fail(code, message));
function request(st, to, toName, fromName) {
  if (to === st.uid) return fail(st, "friends.request", "bad_request", "you cannot befriend yourself");
  const cur = st.friends[to]?.s;
  const me3 = { ...st, name: fromName || st.name };
  if (cur === "blocked") return fail(st, "friends.request", "conflict", "you block this user; unblock first");
  if (st.blockedBy[to]) return fail(st, "friends.request", "forbidden", "this user does not accept requests from you");
  if (cur === "friend") return out(me3, effects.reply({ status: "friend" }));
  if (cur === "incoming") {
    const next2 = set(me3, to, { s: "friend", n: toName });
    return out(next2, peer(to, { type: "peerAccept", from: st.uid }), ...changed(next2, to, toName, "friend"), effects.reply({ status: "friend" }));
  }
  const next = set(me3, to, { s: "outgoing", n: toName });
  return out(next, peer(to, { type: "peerRequest", from: st.uid, name: me3.name }), ...changed(next, to, toName, "outgoing"), effects.reply({ status: "outgoing" }));
}
function accept(st, other) {
  const f = st.friends[other];
  if (f?.s !== "incoming") return fail(st, "friends.accept", "conflict", "no request from this user");
  const next = set(st, other, { s: "friend", n: f.n });
  return out(next, peer(other, { type: "peerAccept", from: st.uid }), ...changed(next, other, f.n, "friend"), effects.reply({}));
}
function decline(st, other) {
  const f = st.friends[other];
  if (f?.s !== "incoming" && f?.s !== "outgoing") return fail(st, "friends.decline", "conflict", "no pending request with this user");
  const next = set(st, other, null);
  return out(next, peer(other, { type: "peerDecline", from: st.uid }), ...changed(next, other, f.n, "none"), effects.reply({}));
}
function remove(st, other) {
  const f = st.friends[other];
  if (f?.s !== "friend") return fail(st, "friends.remove", "conflict", "not friends");
  const next = set(st, other, null);
  return out(next, peer(other, { type: "peerRemove", from: st.uid }), ...changed(next, other, f.n, "none"), effects.reply({}));
}
function block(st, other, name) {
  if (other === st.uid) return fail(st, "friends.block", "bad_request", "you cannot block yourself");
  const n = st.friends[other]?.n || name;
  const next = set(st, other, { s: "blocked", n });
  return out(
    next,
    peer(other, { type: "peerBlock", from: st.uid, on: true }),
    effects.send("room", directRoom(st.uid, other), { type: "block", by: st.uid, on: true }),
    ...changed(next, other, n, "blocked"),
    effects.reply({})
  );
}
function unblock(st, other) {
  const f = st.friends[other];
  if (f?.s !== "blocked") return fail(st, "friends.unblock", "conflict", "you do not block this user");
  const next = set(st, other, null);
  return out(
    next,
    peer(other, { type: "peerBlock", from: st.uid, on: false }),
    effects.send("room", directRoom(st.uid, other), { type: "block", by: st.uid, on: false }),
    ...changed(next, other, f.n, "none"),
    effects.reply({})
  );
}
function peerRequest(st, from, name) {
  const cur = st.friends[from]?.s;
  if (cur === "blocked" || cur === "friend" || cur === "incoming") return out(st);
  if (cur === "outgoing") {
    const next2 = set(st, from, { s: "friend", n: name });
    return out(next2, peer(from, { type: "peerAccept", from: st.uid }), ...changed(next2, from, name, "friend"));
  }
  const next = set(st, from, { s: "incoming", n: name });
  return out(next, ...changed(next, from, name, "incoming"));
}
function peerAccept(st, from) {
  const f = st.friends[from];
  if (f?.s !== "outgoing" && f?.s !== "incoming") return out(st);
  const next = set(st, from, { s: "friend", n: f.n });
  return out(next, ...changed(next, from, f.n, "friend"));
}
function peerEnd(st, from, ended) {
  const f = st.friends[from];
  if (!f || !ended.includes(f.s)) return out(st);
  const next = set(st, from, null);
  return out(next, ...changed(next, from, f.n, "none"));
}
function peerBlock(st, from, on2) {
  const blockedBy = { ...st.blockedBy };
  if (on2) blockedBy[from] = true;
  else delete blockedBy[from];
  const base = { ...st, blockedBy };
  const f = st.friends[from];
  if (on2 && f && f.s !== "blocked") {
    const next = set(base, from, null);
    return out(next, ...changed(next, from, f.n, "none"));
  }
  return out(base);
}
function friendIds(st) {
  return Object.entries(st.friends).filter(([, f]) => f.s === "friend").map(([u]) => Number(u));
}

// actors/user/machine.ts
function presenceWrite(ctx, conns, at) {
  return effects.write("connections", { userId: ctx.uid, conns, lastSeenAt: at });
}
function presencePushes(ctx, before, after) {
  const was = deviceTypes(before).join();
  const now = deviceTypes(after).join();
  if (was === now) return [];
  const body = { push: { op: "presence", user: ctx.uid, online: Object.keys(after).length > 0, devices: deviceTypes(after) } };
  return friendIds(ctx).map((f) => effects.publish(subjects.userEvents(f), body));
}
function connsChanged(ctx, conns, at, extra = []) {
  if (conns === ctx.conns) return { ctx, effects: [] };
  return { ctx: { ...ctx, conns, lastSeenAt: at }, effects: [...extra, presenceWrite(ctx, conns, at), ...presencePushes(ctx, ctx.conns, conns)] };
}
var apply = (f) => enqueueActions(({ context, event, enqueue }) => {
  const ctx = context;
  const out2 = f(ctx, event);
  if (out2.ctx !== ctx) enqueue.assign(() => out2.ctx);
  for (const e of out2.effects) enqueue.emit(e);
});
var fr = (f) => apply((ctx, ev) => {
  const r = f(ctx, ev);
  return { ctx: r.state === ctx ? ctx : { ...ctx, ...r.state }, effects: r.effects };
});
var fromPeer = (ev) => ev.meta.from === `user.${ev.from}`;
function userMachine(maxDevices) {
  return setup({
    types: { context: {}, events: {}, emitted: {}, input: {} },
    guards: { fromPeer: ({ event }) => fromPeer(event) }
  }).createMachine({
    id: "user",
    context: ({ input }) => ({ uid: input.uid, name: "", conns: {}, lastSeenAt: 0, friends: {}, blockedBy: {} }),
    on: {
      connect: {
        actions: apply((ctx, ev) => {
          const e = ev;
          const { conns, kicked } = connect(ctx.conns, e.conn, { gateway: e.gateway, session: e.session, device: e.device, since: e.meta.at }, maxDevices);
          const kicks = kicked.map((k) => effects.publish(subjects.userEvents(ctx.uid), { close: { conn: k, code: "kicked", message: `a newer ${e.device.type} login took over this session` } }));
          const out2 = connsChanged(ctx, conns, e.meta.at, kicks);
          return e.name && e.name !== out2.ctx.name ? { ctx: { ...out2.ctx, name: e.name }, effects: out2.effects } : out2;
        })
      },
      disconnect: { actions: apply((ctx, ev) => connsChanged(ctx, disconnect(ctx.conns, ev.conn), ev.meta.at)) },
      gatewayDown: {
        actions: apply((ctx, ev) => {
          const conns = dropGateway(ctx.conns, ev.gateway);
          return Object.keys(conns).length === Object.keys(ctx.conns).length ? { ctx, effects: [] } : connsChanged(ctx, conns, ev.meta.at);
        })
      },
      presence: {
        actions: emit(({ context }) => effects.reply({ online: Object.keys(context.conns).length > 0, devices: deviceTypes(context.conns) }))
      },
      friendRequest: { actions: fr((st, ev) => {
        const e = ev;
        return request(st, e.to, e.toName, e.fromName);
      }) },
      friendAccept: { actions: fr((st, ev) => accept(st, ev.user)) },
      friendDecline: { actions: fr((st, ev) => decline(st, ev.user)) },
      friendRemove: { actions: fr((st, ev) => remove(st, ev.user)) },
      block: { actions: fr((st, ev) => block(st, ev.user, ev.name)) },
      unblock: { actions: fr((st, ev) => unblock(st, ev.user)) },
      peerRequest: { guard: "fromPeer", actions: fr((st, ev) => peerRequest(st, ev.from, ev.name)) },
      peerAccept: { guard: "fromPeer", actions: fr((st, ev) => peerAccept(st, ev.from)) },
      peerDecline: { guard: "fromPeer", actions: fr((st, ev) => peerEnd(st, ev.from, ["incoming", "outgoing"])) },
      peerRemove: { guard: "fromPeer", actions: fr((st, ev) => peerEnd(st, ev.from, ["friend"])) },
      peerBlock: { guard: "fromPeer", actions: fr((st, ev) => peerBlock(st, ev.from, ev.on)) }
    }
  });
}

// actors/user/writers.ts
function writeConnections(data, _actor, db) {
  const { userId, conns, lastSeenAt } = data;
  const rows = Object.entries(conns).map(([conn, c]) => ({ conn, userId, gateway: c.gateway, device: c.device, sessionId: c.session, connectedAt: new Date(c.since) }));
  const presence = { online: rows.length > 0, devices: rows.length, lastSeenAt: new Date(lastSeenAt) };
  return [
    db.delete(tables_exports.userConnections).where(eq(tables_exports.userConnections.userId, userId)),
    ...rows.length ? [db.insert(tables_exports.userConnections).values(rows)] : [],
    db.insert(tables_exports.userPresence).values({ userId, ...presence }).onConflictDoUpdate({ target: tables_exports.userPresence.userId, set: { ...presence, lastSeenAt: sql`excluded.last_seen_at` } })
  ];
}
function writeFriend(data, _actor, db) {
  const { user, other, status } = data;
  const key = and(eq(tables_exports.friendships.userId, user), eq(tables_exports.friendships.otherId, other));
  if (status === null) return [db.delete(tables_exports.friendships).where(key)];
  return [db.insert(tables_exports.friendships).values({ userId: user, otherId: other, status }).onConflictDoUpdate({ target: [tables_exports.friendships.userId, tables_exports.friendships.otherId], set: { status, since: sql`now()` } })];
}

// actors/user/mod.ts
function userKind(opts) {
  return defineKind({
    kind: "user",
    machine: userMachine(opts.maxDevices),
    version: 1,
    messages: Type.Union([UserPresenceMessage, UserFriendMessage]),
    input: (id) => ({ uid: Number(id) }),
    writers: { connections: writeConnections, friend: writeFriend }
  });
}

// actors/tracker/groups.ts
function usableFree(g) {
  const active = g.nodes.filter((n) => n.state === "active");
  return active.length ? Math.min(...active.map((n) => n.freeBytes)) : 0;
}
function pickGroup(groups, minFreeBytes = 0) {
  let best = null;
  let bestFree = -1;
  for (const name of Object.keys(groups).sort()) {
    const g = groups[name];
    if (!g.nodes.some((n) => n.state === "active")) continue;
    const free = usableFree(g);
    if (free < minFreeBytes) continue;
    if (free > bestFree) {
      best = name;
      bestFree = free;
    }
  }
  return best;
}
function summaries(groups) {
  return Object.keys(groups).sort().map((name) => {
    const g = groups[name];
    return { name, freeBytes: usableFree(g), active: g.nodes.filter((n) => n.state === "active").length, nodes: g.nodes, reportedAt: g.reportedAt };
  });
}

// actors/tracker/machine.ts
var trackerMachine = setup({
  types: { context: {}, events: {}, emitted: {} }
}).createMachine({
  id: "tracker",
  context: { groups: {} },
  on: {
    report: {
      actions: assign(({ context, event }) => ({ groups: { ...context.groups, [event.group]: { nodes: event.nodes, reportedAt: event.meta.at } } }))
    },
    pickGroup: {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const group = pickGroup(context.groups, event.minFreeBytes ?? 0);
        if (group) enqueue.emit(effects.reply({ group }));
        else if (Object.keys(context.groups).length === 0) enqueue.emit(effects.fail("unavailable", "no storage group has joined yet: start a storage node (troupe storage --group g1)"));
        else enqueue.emit(effects.fail("unavailable", `no storage group has an active node${event.minFreeBytes ? ` with ${event.minFreeBytes} bytes free` : ""}`));
      })
    },
    groups: { actions: emit(({ context }) => effects.reply({ groups: summaries(context.groups) })) }
  }
});

// actors/tracker/mod.ts
var TRACKER_ID = "main";
var trackerKind = defineKind({
  kind: "tracker",
  machine: trackerMachine,
  version: 1,
  messages: TrackerMessage,
  // the list of groups is read from the holder's memory (no mailbox, no transaction)
  queries: ["groups"]
});

// storage/ids.ts
var { idSegments } = tables_exports;
var IdAllocator = class {
  constructor(db, key, opts) {
    this.db = db;
    this.key = key;
    if (!(opts.minStep >= 1 && opts.maxStep >= opts.minStep)) throw new Error(`bad id steps: min ${opts.minStep}, max ${opts.maxStep}`);
    this.minStep = opts.minStep;
    this.maxStep = opts.maxStep;
    this.step = opts.minStep;
    this.target = opts.segmentTargetMs ?? 15 * 6e4;
    this.now = opts.now ?? Date.now;
    this.log = logger("ids", { key });
  }
  db;
  key;
  cur;
  spare;
  loading;
  step;
  lastFetchAt;
  fetches = 0;
  minStep;
  maxStep;
  target;
  now;
  log;
  /** The next id (>= 1). */
  async next() {
    for (; ; ) {
      const c = this.cur;
      if (c && c.next <= c.last) {
        const id = c.next++;
        if (!this.spare && !this.loading && c.next - c.first >= (c.last - c.first + 1) * 0.1) {
          this.load().catch((e) => this.log.warn({ err: e.message }, "loading the next id segment failed; will retry"));
        }
        return id;
      }
      if (this.spare) {
        this.cur = this.spare;
        this.spare = void 0;
        continue;
      }
      await this.load();
    }
  }
  /** Resolves when no segment load is in flight. */
  async idle() {
    await this.loading?.catch(() => {
    });
  }
  stats() {
    const c = this.cur;
    return { key: this.key, step: this.step, fetches: this.fetches, current: c && { first: c.first, last: c.last, next: c.next }, nextReady: !!this.spare };
  }
  /** Loads one segment into `spare`; concurrent callers share the one load. */
  load() {
    if (this.spare) return Promise.resolve();
    this.loading ??= this.fetch().then((s) => {
      this.spare = s;
    }).finally(() => {
      this.loading = void 0;
    });
    return this.loading;
  }
  async fetch() {
    const now = this.now();
    if (this.lastFetchAt !== void 0) {
      const lasted = now - this.lastFetchAt;
      if (lasted < this.target) this.step = Math.min(this.maxStep, this.step * 2);
      else if (lasted >= 2 * this.target) this.step = Math.max(this.minStep, Math.floor(this.step / 2));
    }
    const step = this.step;
    const [row] = await this.db.insert(idSegments).values({ key: this.key, maxId: step, step }).onConflictDoUpdate({ target: idSegments.key, set: { maxId: sql`${idSegments.maxId} + ${step}`, step, updatedAt: sql`now()` } }).returning({ maxId: idSegments.maxId });
    const last = Number(row.maxId);
    if (!Number.isSafeInteger(last)) throw new Error(`id space of ${this.key} exhausted`);
    this.lastFetchAt = now;
    this.fetches++;
    this.log.debug({ first: last - step + 1, last, step }, "id segment loaded");
    return { first: last - step + 1, last, next: last - step + 1 };
  }
};

// storage/layout.ts
import path from "node:path";
import { randomBytes } from "node:crypto";
var FILE_ID = new RegExp(FILE_ID_PATTERN);
var GROUP = new RegExp(GROUP_NAME_PATTERN);
var RANDOM_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
function isGroupName(group) {
  return GROUP.test(group);
}
function randomPart() {
  const bytes = randomBytes(12);
  let out2 = "";
  for (const b of bytes) out2 += RANDOM_ALPHABET[b & 31];
  return out2;
}
function formatFileId(group, n, r = randomPart()) {
  if (!isGroupName(group)) throw new Error(`bad group name ${JSON.stringify(group)}`);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`bad numeric file id ${n}`);
  const id = `${group}-${n.toString(36)}-${r}`;
  if (!FILE_ID.test(id)) throw new Error(`bad random part ${JSON.stringify(r)}`);
  return id;
}
function parseFileId(id) {
  if (typeof id !== "string" || id.length > 57) return null;
  const m = FILE_ID.exec(id);
  if (!m) return null;
  const n = parseInt(m[2], 36);
  if (!Number.isSafeInteger(n) || n < 1 || n.toString(36) !== m[2]) return null;
  return { group: m[1], n, r: m[3] };
}
var pad = (x) => String(x).padStart(3, "0");
function relativeFilePath(n) {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`bad numeric file id ${n}`);
  const ddd = n % 512;
  const ccc = Math.floor(n / 512) % 512;
  const bbb = Math.floor(n / 512 ** 2) % 512;
  const aaa = Math.floor(n / 512 ** 3);
  return path.join(pad(aaa), pad(bbb), pad(ccc), pad(ddd));
}
function filePath(root, n) {
  return path.join(root, relativeFilePath(n));
}

// storage/files.ts
import fs from "node:fs/promises";
import path2 from "node:path";
import { createHash, randomBytes as randomBytes2 } from "node:crypto";
async function fsyncDir(dir) {
  const h = await fs.open(dir, "r");
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}
var tempSeq = 0;
var tempName = (ext) => `${process.pid}-${Date.now().toString(36)}-${(tempSeq++).toString(36)}.${ext}`;
var FileStore = class {
  constructor(dataDir) {
    this.dataDir = dataDir;
    this.filesRoot = path2.join(dataDir, "files");
    this.tmpRoot = path2.join(dataDir, "tmp");
  }
  dataDir;
  filesRoot;
  tmpRoot;
  /** Directories known to exist (the layout's directories are never removed). */
  dirsMade = /* @__PURE__ */ new Set();
  /** Creates the directories and removes temp files a crashed process left behind. */
  async init() {
    await fs.mkdir(this.filesRoot, { recursive: true });
    await fs.mkdir(this.tmpRoot, { recursive: true });
    for (const name of await fs.readdir(this.tmpRoot)) await fs.rm(path2.join(this.tmpRoot, name), { force: true, recursive: true });
  }
  /**
   * Streams `source` into a temp file, hashing on the way. On any failure the temp file is gone and
   * the source destroyed (an HTTP server passes a stream piped from the request, so the socket
   * survives to carry the error response).
   */
  async receive(source2, opts) {
    if (opts.expectedSize !== void 0 && opts.expectedSize > opts.maxBytes) {
      throw new TroupeError("limit_exceeded", `the file is ${opts.expectedSize} bytes; the limit is ${opts.maxBytes}`);
    }
    const tempPath = path2.join(this.tmpRoot, tempName("part"));
    const hash = createHash("sha256");
    let size = 0;
    let h;
    try {
      h = await fs.open(tempPath, "wx", 416);
      for await (const chunk of source2) {
        size += chunk.length;
        if (size > opts.maxBytes) throw new TroupeError("limit_exceeded", `the file is larger than the limit of ${opts.maxBytes} bytes`);
        if (opts.expectedSize !== void 0 && size > opts.expectedSize) throw new TroupeError("bad_request", `more bytes than the announced ${opts.expectedSize}`);
        hash.update(chunk);
        opts.onBytes?.(chunk.length);
        for (let off = 0; off < chunk.length; ) off += (await h.write(chunk, off)).bytesWritten;
      }
      if (opts.expectedSize !== void 0 && size !== opts.expectedSize) throw new TroupeError("bad_request", `got ${size} bytes, expected ${opts.expectedSize}`);
      const sha256 = hash.digest("hex");
      if (opts.expectedSha256 !== void 0 && sha256 !== opts.expectedSha256) throw new TroupeError("bad_request", `sha-256 mismatch: got ${sha256}, expected ${opts.expectedSha256}`);
      await h.sync();
      await h.close();
      h = void 0;
      return { tempPath, size, sha256 };
    } catch (e) {
      if (!source2.destroyed) source2.destroy();
      await h?.close().catch(() => {
      });
      await fs.rm(tempPath, { force: true });
      throw e;
    }
  }
  /** Drops a received temp file that will not be committed. */
  async discard(received) {
    await fs.rm(received.tempPath, { force: true });
  }
  /** Moves received bytes into place as file `n` and writes its metadata; durable when it returns. */
  async commit(received, n, meta) {
    if (meta.size !== received.size || meta.sha256 !== received.sha256) throw new Error(`commit of ${meta.fileId}: metadata does not match the bytes`);
    const dest = filePath(this.filesRoot, n);
    const dir = path2.dirname(dest);
    const created = await fs.mkdir(dir, { recursive: true });
    await fs.rename(received.tempPath, dest);
    const metaTemp = path2.join(this.tmpRoot, `${randomBytes2(12).toString("hex")}.meta`);
    const h = await fs.open(metaTemp, "wx", 416);
    try {
      await h.writeFile(JSON.stringify(meta));
      await h.sync();
    } finally {
      await h.close();
    }
    await fs.rename(metaTemp, `${dest}.meta`);
    await fsyncDir(dir);
    if (created) {
      for (let d = path2.dirname(dir); d.length >= this.filesRoot.length; d = path2.dirname(d)) await fsyncDir(d);
    }
  }
  /**
   * Moves several received files into place with their metadata, durable together: the renames
   * and metadata files (written and fsynced side by side), the metadata renames, then each
   * directory touched fsynced once. Per file: true, or the error that kept it out (its temp file is
   * left to discard).
   */
  async commitMany(items) {
    const out2 = items.map(() => true);
    const dirs = /* @__PURE__ */ new Map();
    const metas = [];
    await Promise.all(items.map(async ({ received, n, meta }, i) => {
      try {
        if (meta.size !== received.size || meta.sha256 !== received.sha256) throw new Error(`commit of ${meta.fileId}: metadata does not match the bytes`);
        const dest = filePath(this.filesRoot, n);
        const dir = path2.dirname(dest);
        if (!dirs.has(dir)) dirs.set(dir, this.dirsMade.has(dir) ? Promise.resolve(void 0) : fs.mkdir(dir, { recursive: true }));
        await dirs.get(dir);
        await fs.rename(received.tempPath, dest);
        const temp = path2.join(this.tmpRoot, tempName("meta"));
        const h = await fs.open(temp, "wx", 416);
        try {
          await h.writeFile(JSON.stringify(meta));
          await h.sync();
        } finally {
          await h.close();
        }
        metas.push({ i, temp, dest });
      } catch (e) {
        out2[i] = e;
      }
    }));
    await Promise.all(metas.map(async (m) => {
      try {
        await fs.rename(m.temp, `${m.dest}.meta`);
      } catch (e) {
        out2[m.i] = e;
      }
    }));
    const toSync = new Set(dirs.keys());
    for (const [dir, made] of dirs) if (await made) for (let d = path2.dirname(dir); d.length >= this.filesRoot.length; d = path2.dirname(d)) toSync.add(d);
    try {
      await Promise.all([...toSync].map((d) => fsyncDir(d)));
    } catch (e) {
      return out2.map((r) => r === true ? e : r);
    }
    for (const d of dirs.keys()) this.dirsMade.add(d);
    return out2;
  }
  /** The metadata of file `n`, or null when this node does not hold it. */
  async meta(n) {
    let text;
    try {
      text = await fs.readFile(`${filePath(this.filesRoot, n)}.meta`, "utf8");
    } catch (e) {
      if (e.code === "ENOENT") return null;
      throw e;
    }
    const meta = JSON.parse(text);
    if (!isValid(BinlogCreate, meta)) throw new Error(`corrupt metadata for file ${n}`);
    return meta;
  }
  /** Opens file `n` for reading; null when not held. The caller closes the handle (or a stream made from it does). */
  async open(n, fileId) {
    const meta = await this.meta(n);
    if (!meta || meta.fileId !== fileId) return null;
    let handle;
    try {
      handle = await fs.open(filePath(this.filesRoot, n), "r");
    } catch (e) {
      if (e.code === "ENOENT") return null;
      throw e;
    }
    const { size } = await handle.stat();
    return { meta, handle, size };
  }
  /** Removes file `n` (metadata first, so it stops counting as held at once). False when absent. */
  async remove(n) {
    const dest = filePath(this.filesRoot, n);
    let had = true;
    try {
      await fs.unlink(`${dest}.meta`);
    } catch (e) {
      if (e.code !== "ENOENT") throw e;
      had = false;
    }
    await fs.rm(dest, { force: true });
    return had;
  }
  /** Free and total bytes of the file system holding the data dir. */
  async disk() {
    const s = await fs.statfs(this.dataDir);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  }
};

// storage/metadata.ts
var { storageFiles } = partitioned_exports;
var { storageGroups, storageRoutes } = tables_exports;
var FileIndex = class {
  constructor(db) {
    this.db = db;
  }
  db;
  async ensureGroup(name) {
    await this.db.insert(storageGroups).values({ name }).onConflictDoNothing();
  }
  async groups() {
    const rows = await this.db.select({ name: storageGroups.name }).from(storageGroups).orderBy(storageGroups.name);
    return rows.map((r) => r.name);
  }
  /** Inserts the row of a create record at binlog sequence `seq` (nothing if it is there). */
  async recordCreate(rec, seq) {
    await this.db.insert(storageFiles).values({
      id: rec.fileId,
      ownerId: rec.owner,
      groupName: rec.group,
      size: rec.size,
      sha256: rec.sha256,
      contentType: rec.contentType,
      name: rec.name,
      origin: rec.origin,
      binlogSeq: seq,
      createdAt: new Date(rec.createdAt)
    }).onConflictDoNothing();
  }
  /** Inserts the rows of several create records (nothing for those that are there): one statement. */
  async recordCreates(recs) {
    if (!recs.length) return;
    await this.db.insert(storageFiles).values(recs.map(({ rec, seq }) => ({
      id: rec.fileId,
      ownerId: rec.owner,
      groupName: rec.group,
      size: rec.size,
      sha256: rec.sha256,
      contentType: rec.contentType,
      name: rec.name,
      origin: rec.origin,
      binlogSeq: seq,
      createdAt: new Date(rec.createdAt)
    }))).onConflictDoNothing();
  }
  /** The row of a file (any status); the owner picks the partition. */
  async get(owner, fileId) {
    const [row] = await this.db.select().from(storageFiles).where(and(eq(storageFiles.ownerId, owner), eq(storageFiles.id, fileId))).limit(1);
    return row ?? null;
  }
  /** The row of a file when only its id is known (scans the id index of every partition). */
  async getById(fileId) {
    const [row] = await this.db.select().from(storageFiles).where(eq(storageFiles.id, fileId)).limit(1);
    return row ?? null;
  }
  /** Marks a live file deleted; returns its row, or null when there was no live file. */
  async markDeleted(owner, fileId, at = /* @__PURE__ */ new Date()) {
    const [row] = await this.db.update(storageFiles).set({ status: "deleted", deletedAt: at }).where(and(eq(storageFiles.ownerId, owner), eq(storageFiles.id, fileId), eq(storageFiles.status, "active"))).returning();
    return row ?? null;
  }
  /**
   * A user's live files, newest first (ties by id), `limit` at a time: pass the last row of a page
   * as `after` to get the next one (keyset paging: no rows skipped or repeated under inserts).
   */
  async list(owner, limit = 100, after) {
    const live = and(eq(storageFiles.ownerId, owner), eq(storageFiles.status, "active"));
    const rows = await this.db.select().from(storageFiles).where(after ? and(live, sql`(${storageFiles.createdAt}, ${storageFiles.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id})`) : live).orderBy(desc(storageFiles.createdAt), desc(storageFiles.id)).limit(limit);
    return rows;
  }
  /** The group a user's files go to, if assigned. */
  async routeOf(userId) {
    const [row] = await this.db.select({ g: storageRoutes.groupName }).from(storageRoutes).where(eq(storageRoutes.userId, userId)).limit(1);
    return row?.g ?? null;
  }
  /**
   * Assigns `group` to a user unless one is assigned already; returns the user's group either way
   * (the first assignment wins when two trackers race).
   */
  async assignRoute(userId, group) {
    await this.db.insert(storageRoutes).values({ userId, groupName: group }).onConflictDoNothing();
    const g = await this.routeOf(userId);
    if (!g) throw new Error(`route of user ${userId} vanished`);
    return g;
  }
  /** Which partition holds a user's rows (operators, tests). */
  async partitionOf(owner, fileId) {
    const [row] = await queryRows(this.db, sql`select tableoid::regclass::text as p from storage_files where owner_id = ${owner} and id = ${fileId}`);
    return row?.p ?? null;
  }
};

// storage/tickets.ts
import { createHmac, randomBytes as randomBytes3, timingSafeEqual } from "node:crypto";
var PREFIX = "t1";
var B64URL = /^[A-Za-z0-9_-]+$/;
var MAX_TOKEN = 1024;
var PEER_SIGNATURE_MAX_AGE_MS = 6e4;
function deriveKey(secret, label) {
  if (!secret) throw new Error("the storage secret is empty");
  return createHmac("sha256", secret).update(label).digest();
}
function mac(key, text) {
  return createHmac("sha256", key).update(text).digest();
}
function sameBytes(a, b) {
  return a.length === b.length && timingSafeEqual(a, b);
}
var Tickets = class {
  constructor(secret, now = Date.now) {
    this.now = now;
    this.key = deriveKey(secret, "troupe file tickets");
  }
  now;
  key;
  sign(payload) {
    if (!isValid(TicketPayload, payload)) throw new Error("invalid ticket payload");
    const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
    return `${PREFIX}.${body}.${mac(this.key, `${PREFIX}.${body}`).toString("base64url")}`;
  }
  /**
   * A read or delete ticket for one file, valid for `ttlSeconds`. A read ticket with a `grant`
   * lets `user` read another user's file: the issuer has checked the grant (svc.files.link).
   */
  fileTicket(op, file, user, ttlSeconds, grant) {
    return this.sign({ op, file, user, exp: this.expiry(ttlSeconds), ...grant !== void 0 && op === "read" ? { grant } : {} });
  }
  /** The `exp` of a ticket issued now for `ttlSeconds` (seconds since the epoch). */
  expiry(ttlSeconds) {
    return Math.floor(this.now() / 1e3) + ttlSeconds;
  }
  /** An upload ticket for one group; `upload` is the pending-upload token (random by default). */
  uploadTicket(group, user, ttlSeconds, upload2 = randomBytes3(12).toString("base64url")) {
    return this.sign({ op: "upload", group, upload: upload2, user, exp: this.expiry(ttlSeconds) });
  }
  /**
   * Checks a ticket against a request. Throws `bad_ticket` (missing, malformed, forged),
   * `ticket_expired`, or `forbidden` (a genuine ticket for another op, file or group).
   */
  verify(token, expect) {
    if (!token) throw new TroupeError("bad_ticket", "a ticket is required (?ticket= or Authorization: Bearer)");
    const parts = token.length <= MAX_TOKEN ? token.split(".") : [];
    if (parts.length !== 3 || parts[0] !== PREFIX || !B64URL.test(parts[1]) || !B64URL.test(parts[2])) {
      throw new TroupeError("bad_ticket", "the ticket is malformed");
    }
    const expected = Buffer.from(mac(this.key, `${PREFIX}.${parts[1]}`).toString("base64url"));
    if (!sameBytes(Buffer.from(parts[2]), expected)) throw new TroupeError("bad_ticket", "the ticket signature does not verify");
    let payload;
    try {
      payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    } catch {
      throw new TroupeError("bad_ticket", "the ticket payload is not JSON");
    }
    if (!isValid(TicketPayload, payload)) throw new TroupeError("bad_ticket", "the ticket payload is invalid");
    if (payload.exp * 1e3 <= this.now()) throw new TroupeError("ticket_expired", `the ticket expired at ${new Date(payload.exp * 1e3).toISOString()}`);
    if (payload.op !== expect.op) throw new TroupeError("forbidden", `the ticket is for ${payload.op}, not ${expect.op}`);
    if (payload.op === "upload") {
      if (expect.group !== void 0 && payload.group !== expect.group) throw new TroupeError("forbidden", `the ticket is for group ${payload.group}, this node is in ${expect.group}`);
    } else if (expect.file !== void 0 && payload.file !== expect.file) {
      throw new TroupeError("forbidden", "the ticket is for another file");
    }
    return payload;
  }
};
var PeerAuth = class {
  constructor(secret, now = Date.now) {
    this.now = now;
    this.key = deriveKey(secret, "troupe storage peers");
  }
  now;
  key;
  /** The Authorization header value for `method path` sent by `nodeId`. */
  sign(method, path6, nodeId) {
    const ms = this.now();
    return `TroupePeer ${nodeId}:${ms}:${mac(this.key, `${method} ${path6}
${nodeId}
${ms}`).toString("hex")}`;
  }
  /** The calling node's id; throws `bad_ticket` for a missing, forged or stale signature. */
  verify(header2, method, path6) {
    const m = /^TroupePeer ([A-Za-z0-9_-]{1,64}):(\d{1,15}):([0-9a-f]{64})$/.exec(header2 ?? "");
    if (!m) throw new TroupeError("bad_ticket", "a peer signature is required");
    const [, nodeId, msText, hex] = m;
    const ms = Number(msText);
    if (Math.abs(this.now() - ms) > PEER_SIGNATURE_MAX_AGE_MS) throw new TroupeError("bad_ticket", "the peer signature is stale");
    if (!sameBytes(Buffer.from(hex, "hex"), mac(this.key, `${method} ${path6}
${nodeId}
${ms}`))) throw new TroupeError("bad_ticket", "the peer signature does not verify");
    return nodeId;
  }
};

// storage/replication.ts
var import_jetstream = __toESM(require_mod(), 1);
import fs2 from "node:fs/promises";
import path3 from "node:path";
import http from "node:http";
import https from "node:https";

// storage/metrics.ts
var storageMetrics = {
  bytesIn: counter("troupe_storage_bytes_in_total", "bytes received: uploads and replication fetches", ["node", "kind"]),
  bytesOut: counter("troupe_storage_bytes_out_total", "bytes sent: downloads and replication serving", ["node", "kind"]),
  transfers: counter("troupe_storage_transfers_total", "finished transfers by kind (upload, download, delete, replication, serve_peer) and outcome", ["node", "kind", "outcome"]),
  active: gauge("troupe_storage_active_transfers", "transfers in progress", ["node"]),
  appliedSeq: gauge("troupe_storage_applied_seq", "last binlog record applied (STORAGE stream sequence)", ["node"]),
  lagRecords: gauge("troupe_storage_replication_lag_records", "binlog records of the group not yet applied", ["node"]),
  uploadGroup: histogram("troupe_storage_upload_group_files", "uploads made durable together (one group commit)", [], [1, 2, 4, 8, 16, 32, 64, 128, 256]),
  uploadPhase: histogram("troupe_storage_upload_phase_seconds", "time of an upload's phases: receive (bytes, sha-256, fsync), and per group: files (renames, metadata files, fsyncs), binlog, rows, durable (all of the group)", ["phase"]),
  lagSeconds: gauge("troupe_storage_replication_lag_seconds", "age of the last applied binlog record when it was applied", ["node"])
};

// storage/replication.ts
var enc = new TextEncoder();
var ACK_WAIT_MS = 3e4;
var SAVE_EVERY_MS = 250;
var REATTACH_DELAY_MS = 1e3;
function holdsFile(file, node) {
  if (file.status === "deleted") return false;
  return node.nodeId === file.origin || node.appliedSeq >= file.binlogSeq;
}
function holders(file, nodes) {
  return nodes.filter((n) => holdsFile(file, n)).sort((a, b) => (a.load ?? 0) - (b.load ?? 0) || a.nodeId.localeCompare(b.nodeId));
}
async function ensureStorageStream(nc, replicas) {
  await ensureStream(nc, { name: streams.storage, subjects: [subjects.storageAll], num_replicas: replicas });
}
var Binlog = class {
  constructor(nc, group) {
    this.group = group;
    this.js = (0, import_jetstream.jetstream)(nc);
  }
  group;
  js;
  /** Appends a record; returns its stream sequence. A retry of the same record is deduplicated. */
  async append(rec) {
    const ack = await this.js.publish(subjects.storageLog(this.group), enc.encode(JSON.stringify(rec)), { msgID: `${rec.op}:${rec.fileId}` });
    return ack.seq;
  }
};
async function deleteFile(index, binlog, row, origin, log10) {
  const record = { op: "delete", fileId: row.id, group: row.groupName, owner: row.ownerId, origin, deletedAt: (/* @__PURE__ */ new Date()).toISOString() };
  let binlogSeq;
  try {
    binlogSeq = await binlog.append(record);
  } catch (e) {
    log10.error({ err: e.message, fileId: row.id }, "binlog append failed; delete refused");
    throw new TroupeError("unavailable", "the group binlog is not reachable; nothing was deleted");
  }
  await index.markDeleted(row.ownerId, row.id, new Date(record.deletedAt)).catch((e) => {
    log10.warn({ err: e.message, fileId: row.id }, "marking the row deleted failed; applying the binlog record will do it");
  });
  log10.info({ fileId: row.id, owner: row.ownerId, seq: binlogSeq, origin }, "deleted");
  return { record, binlogSeq };
}
var AppliedState = class {
  file;
  constructor(dataDir) {
    this.file = path3.join(dataDir, "replication.json");
  }
  async load() {
    try {
      const v = JSON.parse(await fs2.readFile(this.file, "utf8"));
      return Number.isSafeInteger(v.appliedSeq) && v.appliedSeq >= 0 ? v.appliedSeq : 0;
    } catch (e) {
      if (e.code !== "ENOENT") logger("replication").warn({ err: e.message, file: this.file }, "unreadable replication state: applying the binlog from the start (idempotent)");
      return 0;
    }
  }
  async save(appliedSeq) {
    const temp = `${this.file}.tmp`;
    await fs2.writeFile(temp, JSON.stringify({ appliedSeq, updatedAt: (/* @__PURE__ */ new Date()).toISOString() }));
    await fs2.rename(temp, this.file);
  }
};
var Stopped = class extends Error {
};
var Replicator = class {
  constructor(o) {
    this.o = o;
    this.state = new AppliedState(o.dataDir);
    this.log = logger("replication", { node: o.nodeId, group: o.group });
    this.consumerName = consumers.storageNode(o.nodeId);
  }
  o;
  appliedSeq = 0;
  /** Records of the group not yet applied (from the consumer). */
  lagRecords = 0;
  /** True once the node has applied the whole backlog that existed when it started. */
  caughtUp = false;
  msgs;
  jsm;
  loop;
  stopping = false;
  abort = new AbortController();
  state;
  log;
  consumerName;
  caughtUpWaiters = [];
  lagTimer;
  /** The record being applied. */
  current;
  reattaching;
  savedAt = 0;
  savedSeq = 0;
  /** Files this node stored whose rows it inserted, until their create records are applied. */
  rowsRecorded = /* @__PURE__ */ new Map();
  async start() {
    this.appliedSeq = this.savedSeq = await this.state.load();
    storageMetrics.appliedSeq.labels(this.o.nodeId).set(this.appliedSeq);
    await this.attach();
    this.lagTimer = setInterval(() => void this.refreshLag(), 2e3);
    this.lagTimer.unref();
    this.log.debug({ appliedSeq: this.appliedSeq, backlog: this.lagRecords }, "replication started");
  }
  /** Brings stream and consumer in line with the applied seq and starts consuming. */
  async attach() {
    await ensureStorageStream(this.o.nc, this.o.streamReplicas);
    const jsm = this.jsm = await (0, import_jetstream.jetstreamManager)(this.o.nc);
    const stream = await jsm.streams.info(streams.storage);
    if (stream.state.last_seq < this.appliedSeq) {
      this.log.error({ appliedSeq: this.appliedSeq, streamLastSeq: stream.state.last_seq }, "the binlog is behind this node's applied seq: stream STORAGE was reset; applying it from the start");
      this.appliedSeq = this.savedSeq = 0;
      this.rowsRecorded.clear();
      await this.state.save(0);
    }
    const filter = subjects.storageLog(this.o.group);
    let info = await jsm.consumers.info(streams.storage, this.consumerName).catch((e) => {
      if (/consumer not found/i.test(e.message)) return null;
      throw e;
    });
    const consistent = info !== null && info.config.filter_subject === filter && info.config.max_ack_pending === 1 && info.num_ack_pending === 0 && info.ack_floor.stream_seq <= this.appliedSeq;
    if (info && !consistent) {
      this.log.info({ ackFloor: info.ack_floor.stream_seq, appliedSeq: this.appliedSeq }, "recreating the binlog consumer from the applied seq");
      await jsm.consumers.delete(streams.storage, this.consumerName);
      info = null;
    }
    if (!info) {
      info = await jsm.consumers.add(streams.storage, {
        durable_name: this.consumerName,
        filter_subject: filter,
        ack_policy: import_jetstream.AckPolicy.Explicit,
        ack_wait: ACK_WAIT_MS * 1e6,
        max_ack_pending: 1,
        ...this.appliedSeq > 0 ? { deliver_policy: import_jetstream.DeliverPolicy.StartSequence, opt_start_seq: this.appliedSeq + 1 } : { deliver_policy: import_jetstream.DeliverPolicy.All }
      });
    }
    this.setLag(info.num_pending + info.num_ack_pending);
    const consumer = await (0, import_jetstream.jetstream)(this.o.nc).consumers.get(streams.storage, this.consumerName);
    const msgs = this.msgs = await consumer.consume({ max_messages: 16 });
    this.loop = this.run(msgs).catch((e) => {
      if (!this.stopping) this.log.error({ err: e }, "replication loop ended");
    });
    void this.watch(msgs);
  }
  /** The consumer reports its consumer or stream deleted under a running node (an operator, a reset). */
  async watch(msgs) {
    for await (const s of msgs.status()) {
      if (s.type === "consumer_deleted" || s.type === "consumer_not_found" || s.type === "stream_not_found") {
        void this.reattach(s.type);
        return;
      }
    }
  }
  /** Closes the consumer and attaches again (once, however many signs of trouble arrive). */
  reattach(reason) {
    if (this.stopping) return Promise.resolve();
    this.reattaching ??= (async () => {
      this.log.error({ reason }, "the binlog consumer is gone; attaching again");
      await this.msgs?.close().catch(() => {
      });
      await this.loop;
      await this.sleep(REATTACH_DELAY_MS);
      for (let attempt = 0; !this.stopping; attempt++) {
        try {
          await this.attach();
          return;
        } catch (e) {
          this.log.warn({ err: e.message }, "attaching to the binlog failed; retrying");
          await this.sleep(Math.min(5e3, 200 * 2 ** Math.min(attempt, 5)));
        }
      }
    })().finally(() => {
      this.reattaching = void 0;
    });
    return this.reattaching;
  }
  /** Resolves once the node has applied the backlog it found at start. */
  waitCaughtUp() {
    if (this.caughtUp) return Promise.resolve();
    return new Promise((r) => this.caughtUpWaiters.push(r));
  }
  /** Stops taking records; a fetch in progress gets `graceMs` to finish before it is cut off. */
  async stop(graceMs = 0) {
    this.stopping = true;
    if (this.lagTimer) clearInterval(this.lagTimer);
    if (graceMs > 0 && this.current) {
      let timer;
      await Promise.race([this.current.catch(() => {
      }), new Promise((r) => timer = setTimeout(r, graceMs))]);
      clearTimeout(timer);
    }
    this.abort.abort();
    await this.reattaching;
    await this.msgs?.close().catch(() => {
    });
    await this.loop;
    if (this.appliedSeq !== this.savedSeq) await this.state.save(this.appliedSeq).catch((e) => this.log.warn({ err: e.message }, "could not keep the applied seq; a restart applies some records again"));
  }
  /**
   * Keeps the applied seq in the data dir: at most every SAVE_EVERY_MS while records stream in,
   * at once when the node is idle, and on stop. A value behind the truth only makes a restart
   * apply some records again, which finds their bytes in place.
   */
  async persist(idle) {
    const now = Date.now();
    if (!idle && now - this.savedAt < SAVE_EVERY_MS) return;
    this.savedAt = now;
    this.savedSeq = this.appliedSeq;
    for (const [fileId, seq] of this.rowsRecorded) if (seq <= this.appliedSeq) this.rowsRecorded.delete(fileId);
    await this.state.save(this.appliedSeq);
  }
  /** The node stored a file and inserted its row: applying the file's record need not insert it. */
  rowRecorded(fileId, seq) {
    if (seq > this.appliedSeq) this.rowsRecorded.set(fileId, seq);
  }
  setLag(n) {
    this.lagRecords = n;
    storageMetrics.lagRecords.labels(this.o.nodeId).set(n);
    if (n === 0 && !this.caughtUp) {
      this.caughtUp = true;
      this.log.debug({ appliedSeq: this.appliedSeq }, "caught up with the binlog");
      for (const w of this.caughtUpWaiters.splice(0)) w();
      this.o.onProgress?.();
    }
  }
  async refreshLag() {
    if (this.stopping || this.reattaching || !this.jsm) return;
    try {
      const info = await this.jsm.consumers.info(streams.storage, this.consumerName);
      this.setLag(info.num_pending + info.num_ack_pending);
    } catch (e) {
      if (/(consumer|stream) not found/i.test(e.message)) void this.reattach(e.message);
    }
  }
  async run(msgs) {
    for await (const m of msgs) {
      if (this.stopping) {
        m.nak();
        break;
      }
      try {
        if (m.seq > this.appliedSeq) {
          this.current = this.applyMessage(m);
          await this.current;
          this.appliedSeq = m.seq;
          await this.persist(m.info.pending === 0);
          storageMetrics.appliedSeq.labels(this.o.nodeId).set(m.seq);
          storageMetrics.lagSeconds.labels(this.o.nodeId).set(Math.max(0, (Date.now() - m.time.getTime()) / 1e3));
        }
        this.current = void 0;
        m.ack();
        this.setLag(m.info.pending);
        this.o.onProgress?.();
      } catch (e) {
        this.current = void 0;
        if (e instanceof Stopped || this.stopping) {
          m.nak();
          break;
        }
        this.log.error({ err: e, seq: m.seq }, "applying a binlog record failed; retrying");
        m.nak(2e3);
      }
    }
  }
  async applyMessage(m) {
    let rec;
    try {
      rec = m.json();
    } catch {
      rec = void 0;
    }
    if (!isValid(BinlogRecord, rec) || rec.group !== this.o.group || !parseFileId(rec.fileId)) {
      this.log.error({ seq: m.seq, subject: m.subject }, "skipping a malformed binlog record");
      return;
    }
    const working = setInterval(() => m.working(), ACK_WAIT_MS / 3);
    try {
      if (rec.op === "create") await this.applyCreate(rec, m.seq);
      else await this.applyDelete(rec);
    } finally {
      clearInterval(working);
    }
  }
  async applyCreate(rec, seq) {
    const { n } = parseFileId(rec.fileId);
    const recorded = this.rowsRecorded.delete(rec.fileId);
    if (recorded && rec.origin === this.o.nodeId) return;
    if (!recorded) await this.o.index.recordCreate(rec, seq);
    const have = await this.o.store.meta(n);
    if (have) {
      if (have.fileId === rec.fileId && have.sha256 === rec.sha256) return;
      this.log.error({ fileId: rec.fileId, present: have.fileId }, "another file holds this id's path; replacing it with the binlog's");
    }
    for (let attempt = 0; ; attempt++) {
      if (this.stopping) throw new Stopped();
      const row = await this.o.index.get(rec.owner, rec.fileId);
      if (row?.status === "deleted") return;
      const sources = holders({ origin: rec.origin, binlogSeq: seq }, this.o.view.peers()).filter((p) => p.nodeId !== this.o.nodeId);
      for (const src of sources) {
        try {
          await (this.o.track ?? ((w) => w()))(() => this.fetchFrom(src, rec, n));
          storageMetrics.transfers.labels(this.o.nodeId, "replication", "ok").inc();
          this.log.debug({ fileId: rec.fileId, from: src.nodeId, size: rec.size }, "replicated");
          return;
        } catch (e) {
          if (this.stopping) throw new Stopped();
          storageMetrics.transfers.labels(this.o.nodeId, "replication", "failed").inc();
          this.log.warn({ fileId: rec.fileId, from: src.nodeId, err: e.message }, "replication fetch failed");
        }
      }
      if (attempt === 0 && sources.length === 0) this.log.info({ fileId: rec.fileId, seq }, "no live node holds this file yet; waiting");
      await this.sleep(Math.min(5e3, 200 * 2 ** Math.min(attempt, 5)));
    }
  }
  async applyDelete(rec) {
    const { n } = parseFileId(rec.fileId);
    const have = await this.o.store.meta(n);
    if (!have || have.fileId === rec.fileId) await this.o.store.remove(n);
    await this.o.index.markDeleted(rec.owner, rec.fileId, new Date(rec.deletedAt));
  }
  sleep(ms) {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.abort.signal.addEventListener("abort", () => {
        clearTimeout(t);
        resolve();
      }, { once: true });
    });
  }
  /** Streams a file from a peer into the store, checking size and sha-256 against the record. */
  async fetchFrom(src, rec, n) {
    const url = new URL(`/internal/files/${rec.fileId}`, src.url);
    const res = await new Promise((resolve, reject) => {
      const req = (url.protocol === "https:" ? https : http).get(url, {
        headers: { authorization: this.o.peerAuth.sign("GET", url.pathname, this.o.nodeId) },
        signal: this.abort.signal
      }, resolve);
      req.setTimeout(3e4, () => req.destroy(new Error("peer stopped sending")));
      req.on("error", reject);
    });
    if (res.statusCode !== 200) {
      res.resume();
      throw new Error(`${src.nodeId} answered ${res.statusCode}`);
    }
    const received = await this.o.store.receive(res, {
      maxBytes: rec.size,
      expectedSize: rec.size,
      expectedSha256: rec.sha256,
      onBytes: this.o.countBytes
    });
    try {
      await this.o.store.commit(received, n, rec);
    } catch (e) {
      await this.o.store.discard(received);
      throw e;
    }
  }
};

// storage/cors.ts
var CORS_METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"];
var CORS_REQUEST_HEADERS = ["authorization", "content-type", "if-none-match", "if-range", "range", "x-content-sha256"];
var EXPOSE = "Accept-Ranges, Content-Length, Content-Range, ETag, Location";
var MAX_AGE_S = 600;
function parseCorsOrigins(setting) {
  return setting.split(",").map((o) => o.trim().replace(/\/+$/, "")).filter(Boolean);
}
function allowOrigin(origin, allowed2) {
  if (allowed2.includes("*")) return { "access-control-allow-origin": "*" };
  if (allowed2.includes(origin)) return { "access-control-allow-origin": origin, vary: "Origin" };
  return null;
}
function corsHeaders(origin, allowed2) {
  if (origin === void 0) return {};
  const allow = allowOrigin(origin, allowed2);
  return allow ? { ...allow, "access-control-expose-headers": EXPOSE } : {};
}
function preflight(origin, method, requestHeaders, allowed2) {
  if (origin === void 0 || method === void 0) return { ok: false, message: "not a CORS preflight (Origin and Access-Control-Request-Method are required)" };
  const allow = allowOrigin(origin, allowed2);
  if (!allow) return { ok: false, message: `origin ${origin} may not use this node from a browser (see --cors-origins)` };
  const m = method.trim().toUpperCase();
  if (!CORS_METHODS.includes(m)) return { ok: false, message: `method ${m} is not allowed; use one of ${CORS_METHODS.join(", ")}` };
  const asked = (requestHeaders ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
  const refused = asked.filter((h) => !CORS_REQUEST_HEADERS.includes(h));
  if (refused.length) return { ok: false, message: `request header ${refused.join(", ")} is not allowed; allowed: ${CORS_REQUEST_HEADERS.join(", ")}` };
  return {
    ok: true,
    headers: {
      ...allow,
      "access-control-allow-methods": CORS_METHODS.join(", "),
      "access-control-allow-headers": CORS_REQUEST_HEADERS.join(", "),
      "access-control-max-age": String(MAX_AGE_S)
    }
  };
}

// storage/http.ts
import http2 from "node:http";
import { PassThrough, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
var log = logger("storage-http");
var statusOf = {
  bad_request: 400,
  bad_ticket: 401,
  ticket_expired: 401,
  forbidden: 403,
  not_found: 404,
  limit_exceeded: 413,
  bad_range: 416,
  unavailable: 503,
  timeout: 504
};
function parseRange(header2, size) {
  if (header2 === void 0) return { kind: "full" };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header2);
  if (!m || m[1] === "" && m[2] === "") return { kind: "full" };
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start2 = Number(m[1]);
  const last = m[2] === "" ? Infinity : Number(m[2]);
  if (last < start2) return { kind: "full" };
  if (start2 >= size) return { kind: "unsatisfiable" };
  return { kind: "partial", start: start2, end: Math.min(last, size - 1) };
}
function noneMatch(header2, etag) {
  if (header2.trim() === "*") return true;
  const opaque = etag.replace(/^W\//, "");
  return header2.split(",").some((t) => t.trim().replace(/^W\//, "") === opaque);
}
function ifRangeHolds(header2, etag, lastModified) {
  const v = header2.trim();
  if (v.startsWith("W/")) return false;
  if (v.startsWith('"')) return v === etag;
  const date = Date.parse(v);
  return Number.isFinite(date) && Math.floor(date / 1e3) === Math.floor(lastModified.getTime() / 1e3);
}
function contentDisposition(name) {
  if (!name) return "inline";
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
function sendJson(res, status, body, headers = {}, headOnly = false) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "cache-control": "no-store", ...headers });
  res.end(headOnly ? void 0 : text);
}
function sendError(req, res, e, headers = {}) {
  const err = toWireError(e);
  if (err.code === "internal") log.error({ err: e, method: req.method, url: req.url?.replace(/ticket=[^&]*/, "ticket=\u2026") }, "storage HTTP handler failed");
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const close = req.complete ? {} : { connection: "close" };
  sendJson(res, statusOf[err.code] ?? 500, { error: err }, { ...close, ...headers }, req.method === "HEAD");
}
function header(req, name) {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
function ticketOf(req, url) {
  const q = url.searchParams.get("ticket");
  if (q) return q;
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  return m?.[1];
}
async function serveFile(backend, req, res, file, kind, extra = {}) {
  const { meta, handle, size } = file;
  let streaming = false;
  try {
    const etag = `"${meta.sha256}"`;
    const lastModified = new Date(meta.createdAt);
    const validators = {
      etag,
      "last-modified": lastModified.toUTCString(),
      "cache-control": "private",
      "accept-ranges": "bytes",
      ...extra
    };
    const inm = req.headers["if-none-match"];
    const ims = req.headers["if-modified-since"];
    const notModified = inm !== void 0 ? noneMatch(inm, etag) : ims !== void 0 && Number.isFinite(Date.parse(ims)) && Math.floor(lastModified.getTime() / 1e3) <= Math.floor(Date.parse(ims) / 1e3);
    if (notModified) {
      res.writeHead(304, validators).end();
      return;
    }
    const ifRange = header(req, "if-range");
    const range = ifRange !== void 0 && !ifRangeHolds(ifRange, etag, lastModified) ? { kind: "full" } : parseRange(req.headers.range, size);
    if (range.kind === "unsatisfiable") {
      sendJson(res, 416, { error: { code: "bad_range", message: `the range ${req.headers.range} does not overlap the file's ${size} bytes` } }, { ...validators, "content-range": `bytes */${size}` }, req.method === "HEAD");
      return;
    }
    const [start2, end] = range.kind === "partial" ? [range.start, range.end] : [0, size - 1];
    const length = size === 0 ? 0 : end - start2 + 1;
    const headers = {
      ...validators,
      "content-type": meta.contentType,
      "content-length": length,
      "content-disposition": contentDisposition(meta.name),
      "x-content-type-options": "nosniff",
      // an uploaded text/html must not run as a page of this origin
      "content-security-policy": "default-src 'none'; sandbox"
    };
    if (range.kind === "partial") headers["content-range"] = `bytes ${start2}-${end}/${size}`;
    res.writeHead(range.kind === "partial" ? 206 : 200, headers);
    if (req.method === "HEAD" || length === 0) {
      res.end();
      return;
    }
    streaming = true;
    const meter = new Transform({
      transform(chunk, _enc, done3) {
        backend.countBytes("out", kind, chunk.length);
        done3(null, chunk);
      }
    });
    await pipeline(handle.createReadStream({ start: start2, end, highWaterMark: 256 * 1024 }), meter, res);
    storageMetrics.transfers.labels(backend.nodeId, kind, "ok").inc();
  } catch (e) {
    storageMetrics.transfers.labels(backend.nodeId, kind, "aborted").inc();
    log.debug({ err: e.message, fileId: meta.fileId }, "transfer ended early");
    if (!res.headersSent) throw e;
    res.destroy();
  } finally {
    if (!streaming) await handle.close().catch(() => {
    });
  }
}
async function download(backend, req, res, url, id) {
  const parsed = parseFileId(id);
  if (!parsed) throw new TroupeError("bad_request", "malformed file id");
  const ticket = backend.tickets.verify(ticketOf(req, url), { op: "read", file: id });
  if (parsed.group !== backend.group) throw new TroupeError("not_found", `the file is in group ${parsed.group}; this node is in ${backend.group}`);
  const file = await backend.store.open(parsed.n, id);
  if (!file) throw new TroupeError("not_found", "this node does not hold the file");
  if (file.meta.owner !== ticket.user && !(ticket.op === "read" && ticket.grant)) {
    await file.handle.close();
    throw new TroupeError("forbidden", "the file belongs to another user");
  }
  await backend.track(() => serveFile(backend, req, res, file, "download"));
}
async function servePeer(backend, req, res, url, id) {
  backend.peerAuth.verify(req.headers.authorization, req.method, url.pathname);
  const parsed = parseFileId(id);
  if (!parsed || parsed.group !== backend.group) throw new TroupeError("not_found", "no such file in this group");
  const file = await backend.store.open(parsed.n, id);
  if (!file) throw new TroupeError("not_found", "this node does not hold the file");
  await backend.track(() => serveFile(backend, req, res, file, "serve_peer", { "x-content-sha256": file.meta.sha256 }));
}
async function upload(backend, req, res, url) {
  const ticket = backend.tickets.verify(ticketOf(req, url), { op: "upload", group: backend.group });
  if (ticket.op !== "upload") throw new TroupeError("forbidden", "not an upload ticket");
  const contentType = req.headers["content-type"] ?? "application/octet-stream";
  if (!isValid(ContentType, contentType)) throw new TroupeError("bad_request", "Content-Type: not a media type");
  const name = url.searchParams.get("name") ?? "";
  if (!isValid(FileName, name)) throw new TroupeError("bad_request", "name: at most 255 characters, no control characters or slashes");
  const digest2 = header(req, "x-content-sha256");
  if (digest2 !== void 0 && !/^[0-9a-fA-F]{64}$/.test(digest2)) throw new TroupeError("bad_request", "X-Content-SHA256: expected 64 hex digits");
  const lengthHeader = req.headers["content-length"];
  const chunked = /chunked/i.test(req.headers["transfer-encoding"] ?? "");
  const expectedSize = lengthHeader !== void 0 ? Number(lengthHeader) : chunked ? void 0 : 0;
  if (expectedSize !== void 0 && expectedSize > backend.maxUploadBytes) {
    throw new TroupeError("limit_exceeded", `the file is ${expectedSize} bytes; the limit is ${backend.maxUploadBytes}`);
  }
  if (/100-continue/i.test(req.headers.expect ?? "")) res.writeContinue();
  const body = new PassThrough();
  req.pipe(body);
  const gone = () => {
    if (!req.complete) body.destroy(new TroupeError("bad_request", "the client went away during the upload"));
  };
  req.on("close", gone);
  req.on("error", gone);
  const result = await backend.track(() => backend.upload({
    source: body,
    owner: ticket.user,
    contentType,
    name,
    upload: ticket.upload,
    expectedSize,
    expectedSha256: digest2?.toLowerCase()
  }));
  sendJson(res, 201, result, { location: `/files/${result.fileId}` });
}
async function remove2(backend, req, res, url, id) {
  const parsed = parseFileId(id);
  if (!parsed) throw new TroupeError("bad_request", "malformed file id");
  const ticket = backend.tickets.verify(ticketOf(req, url), { op: "delete", file: id });
  if (parsed.group !== backend.group) throw new TroupeError("not_found", `the file is in group ${parsed.group}; this node is in ${backend.group}`);
  sendJson(res, 200, await backend.remove(ticket.user, id));
}
function methodNotAllowed(allow) {
  const e = new TroupeError("bad_request", `use ${allow}`);
  e.allow = allow;
  return e;
}
function storageHandler(backend) {
  return (req, res) => {
    let url;
    try {
      url = new URL(req.url ?? "/", "http://storage");
    } catch {
      sendJson(res, 400, { error: { code: "bad_request", message: "bad URL" } });
      return;
    }
    const method = req.method ?? "GET";
    const read = method === "GET" || method === "HEAD";
    const p = url.pathname;
    let work;
    let m;
    const filesApi = p === "/files" || /^\/files\/[^/]+$/.test(p);
    if (filesApi) {
      const origin = header(req, "origin");
      if (method === "OPTIONS") {
        const answer = preflight(origin, header(req, "access-control-request-method"), header(req, "access-control-request-headers"), backend.corsOrigins);
        if (answer.ok) res.writeHead(204, { ...answer.headers, "content-length": 0 }).end();
        else sendJson(res, 403, { error: { code: "forbidden", message: answer.message } });
        return;
      }
      for (const [k, v] of Object.entries(corsHeaders(origin, backend.corsOrigins))) res.setHeader(k, v);
    }
    if (p === "/files") {
      work = method === "PUT" || method === "POST" ? upload(backend, req, res, url) : Promise.reject(methodNotAllowed("PUT, POST"));
    } else if (m = /^\/files\/([^/]+)$/.exec(p)) {
      const id = m[1];
      work = read ? download(backend, req, res, url, id) : method === "DELETE" ? remove2(backend, req, res, url, id) : Promise.reject(methodNotAllowed("GET, HEAD, DELETE"));
    } else if (m = /^\/internal\/files\/([^/]+)$/.exec(p)) {
      const id = m[1];
      work = read ? servePeer(backend, req, res, url, id) : Promise.reject(methodNotAllowed("GET, HEAD"));
    } else if (p === "/healthz" && read) {
      sendJson(res, 200, backend.health(), {}, method === "HEAD");
      return;
    } else if (p === "/metrics" && read) {
      work = metricsText().then(({ contentType, body }) => {
        res.writeHead(200, { "content-type": contentType }).end(method === "HEAD" ? void 0 : body);
      });
    } else {
      sendJson(res, 404, { error: { code: "not_found", message: `no route ${p}` } }, {}, method === "HEAD");
      return;
    }
    work.catch((e) => {
      const allow = e.allow;
      if (allow) {
        sendJson(res, 405, { error: { code: "bad_request", message: `use ${allow}` } }, { allow, ...req.complete ? {} : { connection: "close" } });
        return;
      }
      sendError(req, res, e);
    });
  };
}
function createStorageServer(backend) {
  const handler = storageHandler(backend);
  const server = http2.createServer({ requestTimeout: 0, headersTimeout: 3e4 }, handler);
  server.setTimeout(12e4);
  server.on("checkContinue", handler);
  return server;
}

// storage/membership.ts
var GroupMembership = class {
  constructor(o) {
    this.o = o;
    this.log = logger("membership", { group: o.group, node: o.nodeId });
    this.askTimeoutMs = Math.max(2e3, 3 * o.beatMs);
  }
  o;
  members = [];
  startedAt = Date.now();
  sent = 0;
  applied = 0;
  timer;
  stopped = false;
  failing = false;
  log;
  askTimeoutMs;
  peers() {
    return this.members.filter((m) => m.state !== "offline");
  }
  /** Every member the group actor knows, offline ones included. */
  view() {
    return [...this.members];
  }
  /**
   * Joins the group actor, retrying until it answers (it runs on a host: none may be up yet), then
   * beats every `beatMs`.
   */
  async join() {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.exchange("join");
        this.log.debug({ members: this.members.length }, "joined the storage group");
        break;
      } catch (e) {
        if (this.o.closed()) throw new Error(`the NATS connection closed before the group actor of ${this.o.group} answered`);
        if (attempt === 0) this.log.warn({ err: e.message }, "the group actor did not answer the join; retrying (is a host running?)");
        await new Promise((r) => setTimeout(r, Math.min(5e3, 250 * 2 ** Math.min(attempt, 4))));
      }
    }
    if (this.stopped) return;
    this.timer = setInterval(() => void this.beat(), this.o.beatMs);
    this.timer.unref();
  }
  /** One beat now (also called when the node's state changes, so the group hears it at once). */
  async beat() {
    if (this.stopped) return;
    try {
      await this.exchange("beat");
      if (this.failing) this.log.info({}, "the group actor answers again");
      this.failing = false;
    } catch (e) {
      if (!this.failing && !this.stopped) this.log.warn({ err: e.message }, "a heartbeat to the group actor failed; the peers known so far stay in use");
      this.failing = true;
    }
  }
  async exchange(type) {
    const n = ++this.sent;
    const body = { type, node: this.o.nodeId, beatMs: this.o.beatMs, startedAt: this.startedAt, ...this.o.report() };
    const reply2 = await this.o.client.ask("group", this.o.group, body, { timeoutMs: this.askTimeoutMs });
    if (n <= this.applied) return;
    this.applied = n;
    this.members = reply2.members.map((m) => ({ nodeId: m.node, url: m.url, appliedSeq: m.appliedSeq, state: m.state, load: m.activeTransfers + m.assigned }));
  }
  /** Stops beating and tells the group actor the node is gone (offline at once, not after missed beats). */
  async leave() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.applied === 0) return;
    try {
      await this.o.client.send("group", this.o.group, { type: "leave", node: this.o.nodeId });
    } catch (e) {
      this.log.warn({ err: e.message }, "could not tell the group actor this node leaves; it will notice the missed beats");
    }
  }
};

// storage/node.ts
import fs3 from "node:fs/promises";
import os from "node:os";
import path4 from "node:path";
import { randomBytes as randomBytes4 } from "node:crypto";

// storage/upload-commits.ts
var MAX_GROUP = 256;
var UploadCommitter = class {
  constructor(deps) {
    this.deps = deps;
  }
  deps;
  queue = [];
  busy = false;
  /** Makes a received upload durable (with the uploads waiting beside it); its record and binlog sequence. */
  commit(received, meta) {
    return new Promise((resolve, reject) => {
      this.queue.push({ received, meta, resolve, reject });
      if (!this.busy) void this.drain();
    });
  }
  async drain() {
    this.busy = true;
    try {
      while (this.queue.length) {
        const group = this.queue.splice(0, MAX_GROUP);
        const started = performance.now();
        await this.commitGroup(group).catch((e) => {
          this.deps.log.error({ err: e }, "upload group failed");
          for (const w of group) w.reject(e);
        });
        storageMetrics.uploadGroup.observe(group.length);
        storageMetrics.uploadPhase.labels("durable").observe((performance.now() - started) / 1e3);
      }
    } finally {
      this.busy = false;
    }
  }
  async commitGroup(group) {
    const { deps } = this;
    const placed = [];
    for (const w of group) {
      try {
        const n = await deps.ids.next();
        const rec = {
          op: "create",
          fileId: formatFileId(deps.group, n),
          group: deps.group,
          owner: w.meta.owner,
          size: w.received.size,
          sha256: w.received.sha256,
          contentType: w.meta.contentType,
          name: w.meta.name,
          createdAt: (/* @__PURE__ */ new Date()).toISOString(),
          origin: deps.nodeId
        };
        placed.push({ w, n, rec });
      } catch (e) {
        deps.log.error({ err: e.message }, "id allocation failed");
        await deps.store.discard(w.received);
        w.reject(new TroupeError("unavailable", "the id database is not reachable; the upload was not kept"));
      }
    }
    let t = performance.now();
    const results = await deps.store.commitMany(placed.map((p) => ({ received: p.w.received, n: p.n, meta: p.rec })));
    const stored = [];
    await Promise.all(placed.map(async (p, i) => {
      const r = results[i];
      if (r === true) return void stored.push(p);
      await deps.store.remove(p.n).catch(() => {
      });
      await deps.store.discard(p.w.received);
      p.w.reject(r);
    }));
    storageMetrics.uploadPhase.labels("files").observe((performance.now() - t) / 1e3);
    t = performance.now();
    const appended = await Promise.all(stored.map((p) => deps.binlog.append(p.rec).then((seq) => ({ p, seq }), (e) => ({ p, error: e }))));
    storageMetrics.uploadPhase.labels("binlog").observe((performance.now() - t) / 1e3);
    const logged = [];
    for (const a of appended) {
      if ("seq" in a) {
        logged.push(a);
        continue;
      }
      await deps.store.remove(a.p.n);
      deps.log.error({ err: a.error.message, fileId: a.p.rec.fileId }, "binlog append failed; upload dropped");
      a.p.w.reject(new TroupeError("unavailable", "the group binlog is not reachable; the upload was not kept"));
    }
    t = performance.now();
    try {
      await deps.index.recordCreates(logged.map((l) => ({ rec: l.p.rec, seq: l.seq })));
      for (const l of logged) deps.rowRecorded(l.p.rec.fileId, l.seq);
    } catch (e) {
      deps.log.warn({ err: e.message, files: logged.length }, "metadata insert failed; the binlog apply will retry it");
    }
    storageMetrics.uploadPhase.labels("rows").observe((performance.now() - t) / 1e3);
    for (const l of logged) l.p.w.resolve({ rec: l.p.rec, seq: l.seq });
  }
};

// storage/node.ts
var claimed = /* @__PURE__ */ new Set();
async function claimDataDir(dataDir, group, wantedId) {
  const dir = path4.resolve(dataDir);
  await fs3.mkdir(dir, { recursive: true });
  const lock = path4.join(dir, "lock");
  if (claimed.has(dir)) throw new Error(`data dir ${dir} is in use by another node of this process`);
  try {
    await fs3.writeFile(lock, String(process.pid), { flag: "wx" });
  } catch (e) {
    if (e.code !== "EEXIST") throw e;
    const pid = Number(await fs3.readFile(lock, "utf8").catch(() => ""));
    let alive = false;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        alive = false;
      }
    }
    if (alive) throw new Error(`data dir ${dir} is in use by process ${pid}`);
    await fs3.writeFile(lock, String(process.pid));
  }
  claimed.add(dir);
  const release = async () => {
    claimed.delete(dir);
    await fs3.rm(lock, { force: true });
  };
  try {
    const file = path4.join(dir, "node.json");
    let identity;
    try {
      identity = JSON.parse(await fs3.readFile(file, "utf8"));
    } catch (e) {
      if (e.code !== "ENOENT") throw e;
      const host = os.hostname().toLowerCase().replace(/[^a-z0-9_-]/g, "-").slice(0, 24);
      identity = { nodeId: wantedId || `${group}-${host}-${randomBytes4(3).toString("hex")}`, group, createdAt: (/* @__PURE__ */ new Date()).toISOString() };
      await fs3.writeFile(file, JSON.stringify(identity, null, 2) + "\n");
    }
    if (identity.group !== group) throw new Error(`data dir ${dir} belongs to group ${identity.group}, not ${group}`);
    if (wantedId && identity.nodeId !== wantedId) throw new Error(`data dir ${dir} belongs to node ${identity.nodeId}, not ${wantedId}`);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(identity.nodeId)) throw new Error(`bad node id ${JSON.stringify(identity.nodeId)} in ${file}`);
    return { identity, release };
  } catch (e) {
    await release();
    throw e;
  }
}
var StorageNode = class _StorageNode {
  constructor(o) {
    this.o = o;
    if (!isGroupName(o.group)) throw new TroupeError("bad_request", `bad group name ${JSON.stringify(o.group)}: 1-32 letters, digits, _`);
    this.group = o.group;
    this.store = new FileStore(o.dataDir);
    this.tickets = new Tickets(o.secret);
    this.peerAuth = new PeerAuth(o.secret);
    this.index = new FileIndex(o.db);
    this.maxUploadBytes = o.maxUploadBytes;
    this.corsOrigins = o.corsOrigins ?? ["*"];
    this.log = logger("storage", { group: o.group });
  }
  o;
  state = "joining";
  url = "";
  port = 0;
  store;
  tickets;
  peerAuth;
  index;
  maxUploadBytes;
  corsOrigins;
  group;
  nodeId = "";
  replicator;
  /** The group actor's view of the group, refreshed by every heartbeat. */
  membership;
  ids;
  binlog;
  commits;
  server;
  registration;
  ownActors;
  release;
  sampler;
  inflight = /* @__PURE__ */ new Set();
  traffic = { in: 0, out: 0 };
  rates = { in: 0, out: 0, at: Date.now(), lastIn: 0, lastOut: 0 };
  disk = { freeBytes: 0, totalBytes: 0 };
  stopped;
  log;
  static async start(o) {
    const node = new _StorageNode(o);
    try {
      await node.boot();
    } catch (e) {
      await node.stop().catch(() => {
      });
      throw e;
    }
    return node;
  }
  async boot() {
    const o = this.o;
    const { identity, release } = await claimDataDir(o.dataDir, o.group, o.nodeId);
    this.release = release;
    this.nodeId = identity.nodeId;
    this.log = logger("storage", { group: o.group, node: this.nodeId });
    await this.store.init();
    await this.index.ensureGroup(o.group);
    await ensureStorageStream(o.nc, o.streamReplicas);
    this.ids = new IdAllocator(o.db, o.group, { minStep: o.idStep, maxStep: o.idStepMax });
    this.binlog = new Binlog(o.nc, o.group);
    this.commits = new UploadCommitter({
      group: o.group,
      nodeId: this.nodeId,
      ids: this.ids,
      store: this.store,
      binlog: this.binlog,
      index: this.index,
      log: this.log,
      rowRecorded: (fileId, seq) => this.replicator?.rowRecorded(fileId, seq)
    });
    this.server = createStorageServer(this);
    await new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(o.httpPort, o.bind, () => resolve());
    });
    this.port = this.server.address().port;
    this.url = (o.publicUrl || `http://${o.publicHost ?? "127.0.0.1"}:${this.port}`).replace(/\/+$/, "");
    const kv = o.kv ?? await openKv(o.nc, buckets.nodes);
    await this.sample();
    this.registration = new NodeRegistration(kv, "storage", this.nodeId, () => this.describe(), o.heartbeatMs);
    await this.registration.start();
    this.sampler = setInterval(() => void this.sample(), o.heartbeatMs);
    this.sampler.unref();
    const actors = o.actors ?? (this.ownActors = natsActorClient(o.nc, await readPartitionCount(o.nc), `storage.${this.nodeId}`));
    this.membership = new GroupMembership({ client: actors, group: o.group, nodeId: this.nodeId, beatMs: o.heartbeatMs, report: () => this.report(), closed: () => o.nc.isClosed() });
    await this.membership.join();
    this.replicator = new Replicator({
      nc: o.nc,
      group: o.group,
      nodeId: this.nodeId,
      store: this.store,
      index: this.index,
      view: this.membership,
      peerAuth: this.peerAuth,
      dataDir: o.dataDir,
      track: (w) => this.track(w),
      countBytes: (n) => this.countBytes("in", "replication", n),
      onProgress: () => this.progressed(),
      streamReplicas: o.streamReplicas
    });
    this.state = "syncing";
    await this.replicator.start();
    this.progressed();
    await this.membership.beat();
    this.log.info({ url: this.url, dataDir: path4.resolve(o.dataDir), appliedSeq: this.replicator.appliedSeq }, "storage node running");
  }
  /** Resolves when the node has copied the binlog backlog it found at start (state active). */
  async waitActive() {
    await this.replicator.waitCaughtUp();
  }
  progressed() {
    if (this.state === "syncing" && this.replicator.caughtUp) {
      this.state = "active";
      this.log.debug({ appliedSeq: this.replicator.appliedSeq }, "storage node active");
      void this.registration?.beat();
      void this.membership?.beat();
    }
  }
  /** What the node tells its group actor in each join and beat. */
  report() {
    const d = this.describe();
    return {
      url: d.url,
      state: d.state,
      appliedSeq: d.appliedSeq,
      lagRecords: d.lagRecords,
      activeTransfers: d.activeTransfers,
      bytesInPerSecond: d.bytesInPerSecond,
      bytesOutPerSecond: d.bytesOutPerSecond,
      freeBytes: d.freeBytes,
      totalBytes: d.totalBytes
    };
  }
  describe() {
    return {
      group: this.group,
      url: this.url,
      state: this.state,
      appliedSeq: this.replicator?.appliedSeq ?? 0,
      lagRecords: this.replicator?.lagRecords ?? 0,
      load: this.inflight.size,
      activeTransfers: this.inflight.size,
      bytesInPerSecond: this.rates.in,
      bytesOutPerSecond: this.rates.out,
      freeBytes: this.disk.freeBytes,
      totalBytes: this.disk.totalBytes
    };
  }
  /** Refreshes free disk and transfer rates for the next heartbeat. */
  async sample() {
    try {
      this.disk = await this.store.disk();
    } catch (e) {
      this.log.warn({ err: e.message }, "statfs failed");
    }
    const now = Date.now();
    const secs = Math.max(1e-3, (now - this.rates.at) / 1e3);
    this.rates = {
      in: Math.round((this.traffic.in - this.rates.lastIn) / secs),
      out: Math.round((this.traffic.out - this.rates.lastOut) / secs),
      at: now,
      lastIn: this.traffic.in,
      lastOut: this.traffic.out
    };
  }
  health() {
    return { ok: this.state !== "joining", nodeId: this.nodeId, group: this.group, state: this.state, appliedSeq: this.replicator?.appliedSeq ?? 0, lagRecords: this.replicator?.lagRecords ?? 0 };
  }
  countBytes(direction, kind, n) {
    this.traffic[direction] += n;
    (direction === "in" ? storageMetrics.bytesIn : storageMetrics.bytesOut).labels(this.nodeId, kind).inc(n);
  }
  async track(work) {
    const p = work();
    this.inflight.add(p);
    storageMetrics.active.labels(this.nodeId).set(this.inflight.size);
    try {
      return await p;
    } finally {
      this.inflight.delete(p);
      storageMetrics.active.labels(this.nodeId).set(this.inflight.size);
    }
  }
  /**
   * Stores an upload: its bytes are received (sha-256, fsync), then made durable with the uploads
   * that arrived beside it (upload-commits.ts): bytes and metadata into place, then the create
   * record on the binlog (its sequence is the file's binlogSeq), then the metadata row. The origin
   * holds the file before the record exists, so a read routed by the holder rule never misses.
   */
  async upload(input) {
    const started = performance.now();
    const received = await this.store.receive(input.source, {
      maxBytes: this.maxUploadBytes,
      expectedSize: input.expectedSize,
      expectedSha256: input.expectedSha256,
      onBytes: (n) => this.countBytes("in", "upload", n)
    }).catch((e) => {
      storageMetrics.transfers.labels(this.nodeId, "upload", "failed").inc();
      throw e;
    });
    storageMetrics.uploadPhase.labels("receive").observe((performance.now() - started) / 1e3);
    const { rec, seq } = await this.commits.commit(received, { owner: input.owner, contentType: input.contentType, name: input.name }).catch((e) => {
      storageMetrics.transfers.labels(this.nodeId, "upload", "failed").inc();
      throw e;
    });
    storageMetrics.transfers.labels(this.nodeId, "upload", "ok").inc();
    this.log.debug({ fileId: rec.fileId, owner: rec.owner, size: rec.size, seq }, "stored");
    return { fileId: rec.fileId, group: this.group, size: rec.size, sha256: rec.sha256, contentType: rec.contentType, name: rec.name, createdAt: rec.createdAt, binlogSeq: seq, upload: input.upload };
  }
  /**
   * Deletes a live file of `owner`: the delete record first (so every replica removes the bytes),
   * then the row, then the bytes here. Any node of the group may do it.
   */
  async remove(owner, fileId) {
    const parsed = parseFileId(fileId);
    if (!parsed || parsed.group !== this.group) throw new TroupeError("not_found", "no such file in this group");
    const row = await this.index.getById(fileId).catch((e) => {
      this.log.error({ err: e.message, fileId }, "metadata lookup failed");
      throw new TroupeError("unavailable", "the metadata database is not reachable; nothing was deleted");
    });
    if (!row || row.status !== "active") throw new TroupeError("not_found", "no such file");
    if (row.ownerId !== owner) throw new TroupeError("forbidden", "the file belongs to another user");
    const { binlogSeq } = await deleteFile(this.index, this.binlog, row, this.nodeId, this.log);
    const here = await this.store.meta(parsed.n);
    if (here?.fileId === fileId) await this.store.remove(parsed.n);
    storageMetrics.transfers.labels(this.nodeId, "delete", "ok").inc();
    return { fileId, binlogSeq };
  }
  /**
   * Leaves the group (offline at once: no new transfers routed here) and the registry, stops
   * accepting connections, lets transfers in flight finish for the grace period, then closes the
   * rest and stops the binlog consumer.
   */
  stop() {
    this.stopped ??= (async () => {
      if (this.sampler) clearInterval(this.sampler);
      await this.membership?.leave();
      await this.registration?.stop();
      const closed = this.server?.listening ? new Promise((r) => this.server.close(() => r())) : Promise.resolve();
      this.server?.closeIdleConnections();
      const grace = this.o.shutdownGraceMs;
      let timer;
      await Promise.all([
        Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => timer = setTimeout(r, grace))]).finally(() => clearTimeout(timer)),
        this.replicator?.stop(grace)
      ]);
      if (this.inflight.size) this.log.warn({ transfers: this.inflight.size }, "closing transfers still running after the grace period");
      this.server?.closeAllConnections();
      await closed;
      this.ownActors?.close();
      await this.release?.();
      this.log.info({ appliedSeq: this.replicator?.appliedSeq }, "storage node stopped");
    })();
    return this.stopped;
  }
};
function startStorageNode(o) {
  return StorageNode.start(o);
}

// actors/group/members.ts
function applyReport(members, r, at, join3) {
  const prev = members[r.node];
  const restarted = prev !== void 0 && prev.startedAt !== r.startedAt;
  const next = {
    url: r.url,
    state: r.state,
    appliedSeq: r.appliedSeq,
    lagRecords: r.lagRecords,
    activeTransfers: r.activeTransfers,
    assigned: 0,
    bytesInPerSecond: r.bytesInPerSecond,
    bytesOutPerSecond: r.bytesOutPerSecond,
    freeBytes: r.freeBytes,
    totalBytes: r.totalBytes,
    startedAt: r.startedAt,
    joinedAt: prev === void 0 || join3 || restarted ? at : prev.joinedAt,
    lastBeatAt: at
  };
  return { ...members, [r.node]: next };
}
function setState(members, node, state) {
  const m = members[node];
  if (!m || m.state === state) return members;
  return { ...members, [node]: { ...m, state } };
}
function loadOf(m) {
  return m.activeTransfers + m.assigned;
}
function order(members) {
  return (a, b) => {
    const x = members[a];
    const y = members[b];
    return loadOf(x) - loadOf(y) || x.bytesInPerSecond + x.bytesOutPerSecond - (y.bytesInPerSecond + y.bytesOutPerSecond) || a.localeCompare(b);
  };
}
function uploadTargets(members, minFreeBytes = 0) {
  return Object.keys(members).filter((n) => members[n].state === "active" && members[n].freeBytes >= minFreeBytes).sort(order(members));
}
function readTargets(members, file) {
  return Object.keys(members).filter((n) => members[n].state === "active" && holdsFile(file, { nodeId: n, appliedSeq: members[n].appliedSeq })).sort(order(members));
}
function assign2(members, node) {
  const m = members[node];
  return m ? { ...members, [node]: { ...m, assigned: m.assigned + 1 } } : members;
}
function targets(members, nodes) {
  return nodes.map((node) => ({ node, url: members[node].url }));
}
function view(group, members) {
  return { group, members: Object.keys(members).sort().map((node) => ({ node, ...members[node] })) };
}
function tracked(members) {
  return Object.keys(members).sort().map((node) => {
    const m = members[node];
    return { node, url: m.url, state: m.state, freeBytes: m.freeBytes, totalBytes: m.totalBytes };
  });
}
var FREE_SPACE_REPORT_SHARE = 0.01;
function material(reported, now) {
  if (reported === null || reported.length !== now.length) return true;
  return now.some((n, i) => {
    const r = reported[i];
    return r.node !== n.node || r.url !== n.url || r.state !== n.state || Math.abs(r.freeBytes - n.freeBytes) > n.totalBytes * FREE_SPACE_REPORT_SHARE;
  });
}
var offlineTimer = (node) => `offline:${node}`;
function nodeOfTimer(name) {
  return name.startsWith("offline:") ? name.slice("offline:".length) : null;
}

// actors/group/placement.ts
function nodeViewers(p, node) {
  let n = 0;
  for (const r of Object.values(p)) for (const at of Object.values(r.viewers)) if (at === node) n++;
  return n;
}
function roomViewersOn(r, node) {
  return Object.values(r.viewers).filter((n) => n === node).length;
}
function canServe(members, node, file) {
  const m = members[node];
  return m !== void 0 && m.state === "active" && holdsFile({ origin: file.origin, binlogSeq: file.binlogSeq }, { nodeId: node, appliedSeq: m.appliedSeq });
}
function isFull(members, p, node, cap) {
  const m = members[node];
  if (!m) return true;
  return nodeViewers(p, node) >= cap.viewersPerNode || cap.bytesPerSecond > 0 && m.bytesOutPerSecond >= cap.bytesPerSecond;
}
function byLoad(members, p) {
  return (a, b) => nodeViewers(p, a) - nodeViewers(p, b) || members[a].bytesOutPerSecond - members[b].bytesOutPerSecond || a.localeCompare(b);
}
function releaseIdle(r) {
  const nodes = r.nodes.filter((n) => roomViewersOn(r, n) > 0);
  return nodes.length === r.nodes.length ? r : { ...r, nodes };
}
var sameFile = (a, b) => a?.id === b?.id;
function syncViewers(p, e) {
  const r = p[e.room];
  if (r && e.version <= r.v) return p;
  if (!e.file || e.viewers.length === 0) {
    if (!r) return p;
    const { [e.room]: _gone, ...rest } = p;
    return rest;
  }
  const keep = r && sameFile(r.file, e.file) ? r : void 0;
  const viewers = {};
  for (const v of e.viewers) viewers[v] = keep?.viewers[v] ?? null;
  return { ...p, [e.room]: releaseIdle({ v: e.version, file: e.file, viewers, nodes: keep?.nodes ?? [] }) };
}
function place(p, members, e, cap) {
  let r = p[e.room];
  if (r && r.v >= e.version && !(e.viewer in r.viewers)) return { refused: "gone" };
  if (r && !sameFile(r.file, e.file)) {
    if (r.v >= e.version) return { refused: "gone" };
    r = { v: r.v, file: e.file, viewers: Object.fromEntries(Object.keys(r.viewers).map((v) => [v, null])), nodes: [] };
  }
  r ??= { v: -1, file: e.file, viewers: {}, nodes: [] };
  const usable = (n) => n !== e.avoid && canServe(members, n, e.file);
  const current = r.viewers[e.viewer] ?? null;
  if (current !== null && usable(current)) return { placements: { ...p, [e.room]: r }, node: current };
  r = releaseIdle({ ...r, viewers: { ...r.viewers, [e.viewer]: null } });
  const without3 = { ...p, [e.room]: r };
  const holders2 = Object.keys(members).filter(usable).sort(byLoad(members, without3));
  const node = r.nodes.find((n) => usable(n) && !isFull(members, without3, n, cap)) ?? holders2.find((n) => !r.nodes.includes(n) && !isFull(members, without3, n, cap)) ?? holders2[0] ?? (e.avoid !== void 0 && canServe(members, e.avoid, e.file) ? e.avoid : void 0);
  if (node === void 0) return { refused: "none" };
  const placed = { ...r, viewers: { ...r.viewers, [e.viewer]: node }, nodes: r.nodes.includes(node) ? r.nodes : [...r.nodes, node] };
  return { placements: { ...p, [e.room]: placed }, node };
}
function dropNode(p, node) {
  let changed2 = false;
  const next = {};
  for (const [room, r] of Object.entries(p)) {
    if (!r.nodes.includes(node) && !Object.values(r.viewers).includes(node)) {
      next[room] = r;
      continue;
    }
    changed2 = true;
    next[room] = { ...r, nodes: r.nodes.filter((n) => n !== node), viewers: Object.fromEntries(Object.entries(r.viewers).map(([v, n]) => [v, n === node ? null : n])) };
  }
  return changed2 ? next : p;
}
function roomsView(p) {
  return Object.keys(p).sort().map((room) => {
    const r = p[room];
    return { room, file: r.file?.id ?? null, viewers: Object.keys(r.viewers).length, nodes: r.nodes.map((node) => ({ node, viewers: roomViewersOn(r, node) })) };
  });
}

// actors/group/machine.ts
function settle(ctx, members, deadlines, enqueue) {
  const now = tracked(members);
  const changed2 = material(ctx.reported, now);
  let rooms2 = ctx.rooms;
  for (const node of Object.keys(ctx.members)) if (members[node]?.state !== "active") rooms2 = dropNode(rooms2, node);
  enqueue.assign({ members, deadlines, ...rooms2 !== ctx.rooms ? { rooms: rooms2 } : {}, ...changed2 ? { reported: now } : {} });
  if (changed2) enqueue.emit(effects.send("tracker", TRACKER_ID, { type: "report", group: ctx.group, nodes: now }));
}
function without(deadlines, name) {
  if (!(name in deadlines)) return deadlines;
  const { [name]: _gone, ...rest } = deadlines;
  return rest;
}
function groupMachine(opts) {
  const s = setup({
    types: { context: {}, events: {}, emitted: {}, input: {} }
  });
  const report = (join3) => s.enqueueActions(({ context, event, enqueue }) => {
    const e = event;
    const { type: _t, meta, ...r } = e;
    const members = applyReport(context.members, r, meta.at, join3);
    const deadlines = { ...context.deadlines, [offlineTimer(r.node)]: meta.at + r.beatMs * opts.missedBeats };
    settle(context, members, deadlines, enqueue);
    enqueue.emit(effects.reply(view(context.group, members)));
  });
  const pick = (list, none) => s.enqueueActions(({ context, event, enqueue }) => {
    const nodes = list(context, event);
    if (nodes.length === 0) {
      enqueue.emit(none(context, event));
      return;
    }
    enqueue.assign({ members: assign2(context.members, nodes[0]) });
    enqueue.emit(effects.reply({ targets: targets(context.members, nodes) }));
  });
  const stateCount = (c, state) => Object.values(c.members).filter((m) => m.state === state).length;
  return s.createMachine({
    id: "group",
    context: ({ input }) => ({ group: input.group, members: {}, reported: null, deadlines: {}, rooms: {} }),
    on: {
      join: { actions: report(true) },
      beat: { actions: report(false) },
      leave: {
        actions: enqueueActions(({ context, event, enqueue }) => {
          settle(context, setState(context.members, event.node, "offline"), without(context.deadlines, offlineTimer(event.node)), enqueue);
        })
      },
      forget: {
        actions: enqueueActions(({ context, event, enqueue }) => {
          const m = context.members[event.node];
          if (!m) return enqueue.emit(effects.fail("not_found", `storage group ${context.group} has no node ${event.node}`));
          if (m.state !== "offline") return enqueue.emit(effects.fail("conflict", `node ${event.node} of storage group ${context.group} is ${m.state}: only an offline node can be forgotten (stop it first)`));
          const { [event.node]: _gone, ...members } = context.members;
          settle(context, members, without(context.deadlines, offlineTimer(event.node)), enqueue);
          enqueue.emit(effects.reply(view(context.group, members)));
        })
      },
      timer: {
        actions: enqueueActions(({ context, event, enqueue }) => {
          const node = nodeOfTimer(event.name);
          const deadlines = without(context.deadlines, event.name);
          settle(context, node ? setState(context.members, node, "offline") : context.members, deadlines, enqueue);
        })
      },
      uploadTarget: {
        actions: pick(
          (c, e) => uploadTargets(c.members, e.minFreeBytes ?? 0),
          (c, e) => {
            const min = e.minFreeBytes ?? 0;
            return stateCount(c, "active") === 0 ? effects.fail("unavailable", `storage group ${c.group} has no active node (${Object.keys(c.members).length} known)`) : effects.fail("limit_exceeded", `no active node of storage group ${c.group} has ${min} bytes free`);
          }
        )
      },
      readTargets: {
        actions: pick(
          (c, e) => readTargets(c.members, e),
          (c) => effects.fail("unavailable", `no active node of storage group ${c.group} holds the file now (${stateCount(c, "active")} active, ${stateCount(c, "syncing")} syncing)`)
        )
      },
      view: { actions: s.emit(({ context }) => effects.reply(view(context.group, context.members))) },
      // watch rooms on media servers (placement.ts)
      viewers: {
        // only the room's own watch actor says who watches it
        guard: ({ event }) => event.meta.from === `watch.${event.room}`,
        actions: enqueueActions(({ context, event, enqueue }) => {
          const rooms2 = syncViewers(context.rooms, event);
          if (rooms2 !== context.rooms) enqueue.assign({ rooms: rooms2 });
        })
      },
      place: {
        actions: enqueueActions(({ context, event, enqueue }) => {
          const r = place(context.rooms, context.members, event, opts.capacity);
          if ("refused" in r) {
            return enqueue.emit(r.refused === "gone" ? effects.fail("not_found", `viewer ${event.viewer} no longer watches room ${event.room}`) : effects.fail("unavailable", `no active node of storage group ${context.group} holds file ${event.file.id} now`));
          }
          if (r.placements !== context.rooms) enqueue.assign({ rooms: r.placements });
          enqueue.emit(effects.reply({ node: r.node, url: context.members[r.node].url }));
        })
      },
      placements: { actions: s.emit(({ context }) => effects.reply({ rooms: roomsView(context.rooms) })) }
    }
  });
}

// actors/group/mod.ts
var defaultCapacity = { viewersPerNode: 50, bytesPerSecond: 0 };
function groupKind(opts) {
  return defineKind({
    kind: "group",
    machine: groupMachine({ missedBeats: opts.missedBeats, capacity: opts.capacity ?? defaultCapacity }),
    version: 2,
    // 2: watch rooms on the group's nodes (placement.ts)
    migrate: (state) => ({ ...state, context: { ...state.context, rooms: {} } }),
    messages: GroupMessage,
    input: (id) => ({ group: id }),
    // read from the holder's memory, no transaction per file: the files service asks for targets
    // as queries (a target handed out that way is not counted against the node's load; the
    // service spreads uploads over the targets itself), the view likewise
    queries: ["view", "uploadTarget", "readTargets"]
  });
}

// services/presence/service.ts
function startPresenceService(nc, db) {
  return serve(nc, "presence", {
    async online({ after, limit }) {
      const rows = await queryRows(db, sql`
        select u.id, u.name, json_agg(c.device->>'type' order by c.device->>'type') as devices, min(c.connected_at) as since
        from user_connections c join users u on u.id = c.user_id
        where c.user_id > ${after}
        group by u.id, u.name order by u.id limit ${limit}`);
      return { users: rows.map((r) => ({ user: { id: Number(r.id), name: r.name }, devices: typeof r.devices === "string" ? JSON.parse(r.devices) : r.devices, since: new Date(r.since).getTime() })) };
    },
    async query({ users: users2 }) {
      const ids = [...new Set(users2)];
      const conns = await db.select({ userId: tables_exports.userConnections.userId, device: tables_exports.userConnections.device }).from(tables_exports.userConnections).where(inArray(tables_exports.userConnections.userId, ids));
      const seen = await db.select().from(tables_exports.userPresence).where(inArray(tables_exports.userPresence.userId, ids));
      const devices = /* @__PURE__ */ new Map();
      for (const c of conns) devices.set(c.userId, [...devices.get(c.userId) ?? [], c.device.type]);
      const last = new Map(seen.map((r) => [r.userId, r.lastSeenAt.toISOString()]));
      return { presence: ids.map((user) => ({ user, online: devices.has(user), devices: (devices.get(user) ?? []).sort(), ...last.has(user) ? { lastSeenAt: last.get(user) } : {} })) };
    }
  });
}

// services/presence/reaper.ts
var log2 = logger("gateway-reaper");
function startGatewayReaper(d) {
  let busy = false;
  const round = async () => {
    if (busy || !d.host.holdings().some((h) => h.partition === 0 && h.state === "running")) return;
    busy = true;
    try {
      const live = new Set(d.directory.list("gateway").map((g) => String(g.instance ?? g.id)));
      const rows = await queryRows(d.db, sql`select distinct gateway, user_id from user_connections where connected_at < now() - interval '10 seconds'`);
      const dead = rows.filter((r) => !live.has(r.gateway));
      for (const r of dead) {
        await d.client.send("user", String(r.user_id), { type: "gatewayDown", gateway: r.gateway }, { key: `gwdown:${r.gateway}:${r.user_id}` });
      }
      if (dead.length) log2.info({ gateways: [...new Set(dead.map((r) => r.gateway))], users: dead.length }, "connections of dead gateways closed");
      const watching = await queryRows(d.db, sql`select distinct gateway, room_id from watch_viewers where joined_at < now() - interval '10 seconds'`);
      const lost = watching.filter((r) => !live.has(r.gateway));
      for (const r of lost) {
        await d.client.send("watch", r.room_id, { type: "gatewayDown", gateway: r.gateway }, { key: `gwdown:${r.gateway}:watch:${r.room_id}` });
      }
      if (lost.length) log2.info({ gateways: [...new Set(lost.map((r) => r.gateway))], rooms: lost.length }, "viewers of dead gateways released");
    } catch (e) {
      log2.warn({ err: e.message }, "reaper round failed");
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void round(), d.everyMs ?? 5e3);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

// services/chat/service.ts
var enc2 = new TextEncoder();
function toEntry(r) {
  return {
    room: r.room_id,
    seq: Number(r.seq),
    kind: r.kind,
    from: Number(r.sender_id),
    body: r.body,
    at: new Date(r.created_at).getTime(),
    ...r.client_msg_id ? { clientMsgId: r.client_msg_id } : {},
    ...r.ref_seq !== null ? { ref: Number(r.ref_seq) } : {},
    ...r.file_id ? { file: r.file_id } : {},
    ...r.data ? { data: typeof r.data === "string" ? JSON.parse(r.data) : r.data } : {},
    ...r.edited_at ? { edited: true } : {},
    ...r.recalled ? { recalled: true } : {}
  };
}
var ENTRY_COLUMNS = sql.raw("room_id, seq, sender_id, kind, body, client_msg_id, ref_seq, file_id, data, edited_at, recalled, created_at");
function startChatService(nc, db, opts = {}) {
  const publish = (subject, body) => nc.publish(subject, enc2.encode(JSON.stringify(body)));
  async function membership(user, room) {
    const [m] = await queryRows(db, sql`
      select m.role, m.read_seq, m.delivered_seq, r.kind, r.last_seq from room_members m join rooms r on r.id = m.room_id
      where m.room_id = ${room} and m.user_id = ${user}`);
    return m;
  }
  async function requireMember(user, room) {
    const m = await membership(user, room);
    if (!m) throw new TroupeError("forbidden", "only members read a room");
    return m;
  }
  async function withUrls(entries, user) {
    if (!opts.fileUrl) return entries;
    return Promise.all(entries.map(async (e) => e.file && !e.recalled ? { ...e, fileUrl: await opts.fileUrl(e.file, user, e.room) } : e));
  }
  async function unreadOf(user, room, readSeq) {
    const [r] = await queryRows(db, sql`select count(*)::int as n from messages where room_id = ${room} and seq > ${readSeq} and kind = 'text' and sender_id <> ${user}`);
    return Number(r.n);
  }
  const chat = serve(nc, "chat", {
    async rooms({ user }) {
      const rows = await queryRows(db, sql`select room_id from room_members where user_id = ${user}`);
      return { rooms: rows.map((r) => r.room_id) };
    },
    async conversations({ user, limit }) {
      const rows = await queryRows(db, sql`
        select r.id, r.kind, r.name, r.description, r.open, r.owner_id, r.last_seq, r.last_at, r.last_sender, r.last_preview, m.role, m.read_seq,
          (select count(*)::int from room_members x where x.room_id = r.id) as members,
          (select count(*)::int from messages g where g.room_id = r.id and g.seq > m.read_seq and g.kind = 'text' and g.sender_id <> m.user_id) as unread,
          (select json_build_object('id', u.id, 'name', u.name) from room_members p join users u on u.id = p.user_id
             where r.kind = 'direct' and p.room_id = r.id and p.user_id <> m.user_id limit 1) as peer
        from room_members m join rooms r on r.id = m.room_id
        where m.user_id = ${user}
        order by coalesce(r.last_at, r.created_at) desc
        limit ${limit}`);
      return {
        conversations: rows.map((r) => ({
          room: {
            id: String(r.id),
            kind: r.kind,
            name: String(r.name),
            description: String(r.description),
            open: Boolean(r.open),
            owner: r.owner_id === null ? null : Number(r.owner_id),
            members: Number(r.members),
            role: r.role,
            ...r.peer ? { peer: typeof r.peer === "string" ? JSON.parse(r.peer) : r.peer } : {}
          },
          lastSeq: Number(r.last_seq),
          lastAt: r.last_at ? new Date(r.last_at).getTime() : null,
          lastFrom: r.last_sender === null ? null : Number(r.last_sender),
          lastPreview: String(r.last_preview),
          readSeq: Number(r.read_seq),
          unread: Number(r.unread)
        }))
      };
    },
    async discover({ query, limit }) {
      const rows = await queryRows(db, sql`
        select r.id, r.name, r.description, r.owner_id, (select count(*)::int from room_members x where x.room_id = r.id) as members
        from rooms r where r.kind = 'group' and r.open and lower(r.name) like ${query.toLowerCase().replace(/[%_\\]/g, "\\$&") + "%"}
        order by r.name limit ${limit}`);
      return { rooms: rows.map((r) => ({ id: String(r.id), kind: "group", name: String(r.name), description: String(r.description), open: true, owner: r.owner_id === null ? null : Number(r.owner_id), members: Number(r.members) })) };
    },
    async members({ user, room }) {
      await requireMember(user, room);
      const rows = await queryRows(db, sql`
        select u.id, u.name, m.role, m.read_seq, exists (select 1 from user_connections c where c.user_id = u.id) as online
        from room_members m join users u on u.id = m.user_id where m.room_id = ${room}
        order by case m.role when 'owner' then 0 when 'admin' then 1 else 2 end, m.joined_at, u.id`);
      return { members: rows.map((r) => ({ user: { id: Number(r.id), name: r.name }, role: r.role, online: Boolean(r.online), readSeq: Number(r.read_seq) })) };
    },
    async history({ user, room, before, limit }) {
      await requireMember(user, room);
      const rows = await queryRows(db, sql`
        select ${ENTRY_COLUMNS} from messages where room_id = ${room} ${before !== void 0 ? sql`and seq < ${before}` : sql``}
        order by seq desc limit ${limit + 1}`);
      const more = rows.length > limit;
      return { messages: await withUrls(rows.slice(0, limit).reverse().map(toEntry), user), more };
    },
    async sync({ user, rooms: rooms2, limit }) {
      const mine = await queryRows(db, sql`
        select m.room_id, m.delivered_seq, r.last_seq from room_members m join rooms r on r.id = m.room_id where m.user_id = ${user}`);
      const out2 = [];
      for (const m of mine) {
        const since = rooms2[m.room_id] ?? Number(m.delivered_seq);
        if (Number(m.last_seq) <= since) continue;
        const rows = await queryRows(db, sql`select ${ENTRY_COLUMNS} from messages where room_id = ${m.room_id} and seq > ${since} order by seq limit ${limit + 1}`);
        out2.push({ room: m.room_id, messages: await withUrls(rows.slice(0, limit).map(toEntry), user), more: rows.length > limit });
      }
      return { rooms: out2 };
    },
    async cursor({ user, room, seq, cursor, origin }) {
      const column = sql.raw(cursor === "read" ? "read_seq" : "delivered_seq");
      const [row] = await queryRows(db, sql`
        with old as (select ${column} as before from room_members where room_id = ${room} and user_id = ${user} for update)
        update room_members m set ${column} = greatest(m.${column}, least(${seq}, r.last_seq))
        from rooms r, old
        where m.room_id = ${room} and m.user_id = ${user} and r.id = m.room_id
        returning old.before, m.read_seq, m.delivered_seq, r.kind`);
      if (!row) throw new TroupeError("forbidden", "not a member of this room");
      const readSeq = Number(row.read_seq);
      if (cursor === "read" && readSeq > Number(row.before)) {
        const senders = await queryRows(db, sql`
          select distinct sender_id from messages where room_id = ${room} and seq > ${row.before} and seq <= ${readSeq} and kind = 'text' and sender_id not in (0, ${user})`);
        const push2 = { op: "chat.read", room, user, seq: readSeq };
        for (const s of senders) publish(subjects.userEvents(s.sender_id), { push: push2 });
        publish(subjects.userEvents(user), { push: push2, ...origin ? { except: origin } : {} });
      }
      return { readSeq, deliveredSeq: Number(row.delivered_seq), unread: await unreadOf(user, room, readSeq) };
    },
    async typing({ user, room, origin }) {
      const m = await requireMember(user, room);
      const event = { push: { op: "chat.typing", room, user }, ...origin ? { except: origin } : {} };
      if (m.kind === "group") publish(subjects.roomEvents(room), event);
      else {
        const others = await queryRows(db, sql`select user_id from room_members where room_id = ${room} and user_id <> ${user}`);
        for (const o of others) publish(subjects.userEvents(o.user_id), event);
      }
      return {};
    },
    async entry({ user, room, seq }) {
      await requireMember(user, room);
      const [r] = await queryRows(db, sql`select sender_id, kind, recalled, file_id from messages where room_id = ${room} and seq = ${seq}`);
      if (!r) throw new TroupeError("not_found", "no such message");
      return { sender: Number(r.sender_id), kind: r.kind, recalled: Boolean(r.recalled), ...r.file_id ? { file: r.file_id } : {} };
    }
  });
  const users2 = serve(nc, "users", {
    async find({ query, limit }) {
      const rows = await queryRows(db, sql`
        select id, name from users where lower(name) like ${query.toLowerCase().replace(/[%_\\]/g, "\\$&") + "%"} order by lower(name) limit ${limit}`);
      return { users: rows.map((r) => ({ id: Number(r.id), name: r.name })) };
    },
    async get({ ids }) {
      if (!ids.length) return { users: [] };
      const rows = await queryRows(db, sql`select id, name from users where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::bigint)`);
      return { users: rows.map((r) => ({ id: Number(r.id), name: r.name })) };
    }
  });
  const friends = serve(nc, "friends", {
    async list({ user }) {
      const rows = await queryRows(db, sql`
        select u.id, u.name, f.status,
          (select coalesce(json_agg(c.device->>'type' order by c.device->>'type'), '[]'::json) from user_connections c where c.user_id = u.id) as devices
        from friendships f join users u on u.id = f.other_id where f.user_id = ${user}
        order by case f.status when 'incoming' then 0 when 'friend' then 1 when 'outgoing' then 2 else 3 end, lower(u.name)`);
      return {
        friends: rows.map((r) => {
          const devices = typeof r.devices === "string" ? JSON.parse(r.devices) : r.devices ?? [];
          const visible = r.status === "friend";
          return { user: { id: Number(r.id), name: r.name }, status: r.status, online: visible && devices.length > 0, devices: visible ? devices : [] };
        })
      };
    }
  });
  return [chat, users2, friends];
}

// actors/room/rules.ts
var fail2 = (ctx, _op, code, message) => ({ ctx, effects: [effects.fail(code, message)] });
function directMembers(rid) {
  const m = /^d(\d+)-(\d+)$/.exec(rid);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a < b ? [a, b] : null;
}
function initialContext(rid) {
  const pair = directMembers(rid);
  return {
    rid,
    kind: pair ? "direct" : "group",
    name: "",
    description: "",
    open: false,
    owner: null,
    members: pair ? { [pair[0]]: { r: "member", t: 0 }, [pair[1]]: { r: "member", t: 0 } } : {},
    seq: 0,
    blocked: {},
    watched: false
  };
}
function summary(ctx, forUser) {
  return {
    id: ctx.rid,
    kind: ctx.kind,
    name: ctx.name,
    description: ctx.description,
    open: ctx.open,
    owner: ctx.owner,
    members: Object.keys(ctx.members).length,
    ...forUser !== void 0 && ctx.members[forUser] ? { role: ctx.members[forUser].r } : {}
  };
}
var roleOf = (ctx, uid) => ctx.members[uid]?.r;
var isManager = (ctx, uid) => uid === 0 || roleOf(ctx, uid) === "owner" || roleOf(ctx, uid) === "admin";
function fanOut(ctx, push2, origin) {
  const event = { push: push2, ...origin ? { except: origin } : {} };
  if (ctx.kind === "group") return [effects.publish(subjects.roomEvents(ctx.rid), event)];
  return Object.keys(ctx.members).map((uid) => effects.publish(subjects.userEvents(uid), event));
}
function appendEntry(ctx, e, origin) {
  const seq = ctx.seq + 1;
  const next = { ...ctx, seq };
  const entry = {
    room: ctx.rid,
    seq,
    kind: e.kind,
    from: e.from,
    body: e.body,
    at: e.at,
    ...e.clientMsgId ? { clientMsgId: e.clientMsgId } : {},
    ...e.ref !== void 0 ? { ref: e.ref } : {},
    ...e.file ? { file: e.file } : {},
    ...e.data ? { data: e.data } : {}
  };
  return {
    ctx: next,
    effects: [
      effects.write("entry", entry),
      ...fanOut(next, { op: "chat.message", ...entry }, origin)
    ]
  };
}
function system(ctx, at, data, by = 0) {
  return appendEntry(ctx, { kind: "system", from: by, body: "", at, data });
}
function joined(ctx, uid) {
  return [effects.publish(subjects.userEvents(uid), { rooms: { join: [ctx.rid] }, push: { op: "rooms.joined", room: summary(ctx, uid) } })];
}
function left(ctx, uid, reason) {
  return [effects.publish(subjects.userEvents(uid), { rooms: { leave: [ctx.rid] }, push: { op: "rooms.left", room: ctx.rid, reason } })];
}
function roomRow(ctx) {
  return effects.write("room", { rid: ctx.rid, kind: ctx.kind, name: ctx.name, description: ctx.description, open: ctx.open, owner: ctx.owner });
}
function membersWrite(rid, change2) {
  return effects.write("members", { rid, ...change2 });
}
function chain(first, ...more) {
  let out2 = first;
  for (const f of more) {
    const next = f(out2.ctx);
    out2 = { ctx: next.ctx, effects: [...out2.effects, ...next.effects] };
  }
  return out2;
}
var done = (ctx, ...effs) => ({ ctx, effects: effs });
function create(ctx, e, maxMembers) {
  const invited = [...new Set(e.invite.filter((u) => u !== e.by))];
  if (invited.length + 1 > maxMembers) return fail2(ctx, "rooms.create", "limit_exceeded", `a room holds at most ${maxMembers} members`);
  const members = { [e.by]: { r: "owner", t: e.at } };
  for (const u of invited) members[u] = { r: "member", t: e.at };
  const next = { ...ctx, name: e.name, description: e.description, open: e.open, owner: e.by, members };
  return chain(
    done(next, roomRow(next), membersWrite(ctx.rid, { add: Object.entries(members).map(([u, m]) => ({ user: Number(u), role: m.r, at: e.at })) }), ...Object.keys(members).flatMap((u) => joined(next, Number(u)))),
    (c) => system(c, e.at, { event: "created", by: e.by, name: e.name }, e.by),
    (c) => done(c, effects.reply({ room: summary(c, e.by) }))
  );
}
function join(ctx, e, maxMembers) {
  if (ctx.kind === "direct") return fail2(ctx, "rooms.join", "forbidden", "a direct conversation has exactly its two people");
  if (ctx.members[e.user]) return done(ctx, effects.reply({ room: summary(ctx, e.user) }));
  if (!ctx.open) return fail2(ctx, "rooms.join", "forbidden", "this room is invitation-only");
  if (Object.keys(ctx.members).length >= maxMembers) return fail2(ctx, "rooms.join", "limit_exceeded", `a room holds at most ${maxMembers} members`);
  return addMember(ctx, e.user, 0, e.at, "joined", (c) => done(c, effects.reply({ room: summary(c, e.user) })));
}
function invite(ctx, e, maxMembers) {
  if (ctx.kind === "direct") return fail2(ctx, "rooms.invite", "forbidden", "a direct conversation has exactly its two people");
  if (!isManager(ctx, e.by)) return fail2(ctx, "rooms.invite", "forbidden", "only the owner and admins invite");
  if (ctx.members[e.user]) return fail2(ctx, "rooms.invite", "conflict", "already a member");
  if (Object.keys(ctx.members).length >= maxMembers) return fail2(ctx, "rooms.invite", "limit_exceeded", `a room holds at most ${maxMembers} members`);
  return addMember(ctx, e.user, e.by, e.at, "invited", (c) => done(c, effects.reply({})));
}
function addMember(ctx, user, by, at, event, reply2) {
  const next = { ...ctx, members: { ...ctx.members, [user]: { r: "member", t: at } } };
  return chain(
    done(next, membersWrite(ctx.rid, { add: [{ user, role: "member", at }] }), ...joined(next, user)),
    (c) => system(c, at, { event, user, ...by ? { by } : {} }, by),
    reply2
  );
}
function successor(members) {
  const rank = (m) => m.r === "admin" ? 0 : 1;
  const best = Object.entries(members).sort((a, b) => rank(a[1]) - rank(b[1]) || a[1].t - b[1].t || Number(a[0]) - Number(b[0]))[0];
  return best ? Number(best[0]) : null;
}
function remove3(ctx, user, at, by, reason) {
  const { [user]: _gone, ...rest } = ctx.members;
  let next = { ...ctx, members: rest };
  const extra = [];
  if (ctx.owner === user) {
    const heir = successor(rest);
    next = { ...next, owner: heir, members: heir === null ? rest : { ...rest, [heir]: { ...rest[heir], r: "owner" } } };
    extra.push(roomRow(next));
    if (heir !== null) extra.push(membersWrite(ctx.rid, { roles: [{ user: heir, role: "owner" }] }));
  }
  return chain(
    done(next, membersWrite(ctx.rid, { remove: [user] }), ...extra, ...left(next, user, reason)),
    (c) => system(c, at, { event: reason, user, ...by !== user ? { by } : {}, ...ctx.owner === user ? { owner: next.owner } : {} }, by),
    (c) => done(c, effects.reply({}))
  );
}
function leave(ctx, e) {
  if (ctx.kind === "direct") return fail2(ctx, "rooms.leave", "forbidden", "you cannot leave a direct conversation (block the user instead)");
  if (!ctx.members[e.user]) return fail2(ctx, "rooms.leave", "forbidden", "not a member");
  return remove3(ctx, e.user, e.at, e.user, "left");
}
function kick(ctx, e) {
  if (ctx.kind === "direct") return fail2(ctx, "rooms.kick", "forbidden", "nobody is kicked from a direct conversation");
  const target = roleOf(ctx, e.user);
  if (!target) return fail2(ctx, "rooms.kick", "not_found", "not a member");
  const mine = roleOf(ctx, e.by);
  if (e.by === e.user) return fail2(ctx, "rooms.kick", "forbidden", "use rooms.leave to leave");
  const allowed2 = mine === "owner" || mine === "admin" && target === "member";
  if (!allowed2) return fail2(ctx, "rooms.kick", "forbidden", mine === "admin" ? "admins kick members only" : "only the owner and admins kick");
  return remove3(ctx, e.user, e.at, e.by, "kicked");
}
function update(ctx, e) {
  if (ctx.kind === "direct") return fail2(ctx, "rooms.update", "forbidden", "a direct conversation has no name");
  if (!isManager(ctx, e.by)) return fail2(ctx, "rooms.update", "forbidden", "only the owner and admins change the room");
  const next = { ...ctx, name: e.name ?? ctx.name, description: e.description ?? ctx.description, open: e.open ?? ctx.open };
  const changed2 = {};
  if (e.name !== void 0) changed2.name = e.name;
  if (e.description !== void 0) changed2.description = e.description;
  if (e.open !== void 0) changed2.open = e.open;
  return chain(done(next, roomRow(next)), (c) => system(c, e.at, { event: "updated", by: e.by, ...changed2 }, e.by), (c) => done(c, effects.reply({})));
}
function setRole(ctx, e) {
  if (roleOf(ctx, e.by) !== "owner") return fail2(ctx, "rooms.role", "forbidden", "only the owner sets roles");
  const target = roleOf(ctx, e.user);
  if (!target) return fail2(ctx, "rooms.role", "not_found", "not a member");
  if (target === "owner") return fail2(ctx, "rooms.role", "forbidden", "the owner keeps the owner role");
  if (target === e.role) return done(ctx, effects.reply({}));
  const next = { ...ctx, members: { ...ctx.members, [e.user]: { ...ctx.members[e.user], r: e.role } } };
  return chain(done(next, membersWrite(ctx.rid, { roles: [{ user: e.user, role: e.role }] })), (c) => system(c, e.at, { event: "role", user: e.user, role: e.role, by: e.by }, e.by), (c) => done(c, effects.reply({})));
}
function post(ctx, e, born) {
  if (e.from !== 0 && !ctx.members[e.from]) return fail2(ctx, "chat.send", "forbidden", "only members post in a room");
  if (ctx.kind === "direct" && ctx.members[0] && e.from !== 0) return fail2(ctx, "chat.send", "forbidden", "system messages cannot be answered");
  if (ctx.kind === "direct" && Object.values(ctx.blocked).some(Boolean)) return fail2(ctx, "chat.send", "forbidden", "blocked");
  let start2 = done(ctx);
  if (ctx.kind === "direct" && !born) {
    start2 = done(ctx, roomRow(ctx), membersWrite(ctx.rid, { add: Object.keys(ctx.members).map((u) => ({ user: Number(u), role: "member", at: e.at })) }), ...Object.keys(ctx.members).flatMap((u) => joined(ctx, Number(u))));
  }
  return chain(start2, (c) => appendEntry(c, { kind: "text", from: e.from, body: e.body, at: e.at, clientMsgId: e.clientMsgId, file: e.file }, e.origin), (c) => done(c, effects.reply({ room: c.rid, seq: c.seq, at: e.at })));
}
function entryFacts(loaded) {
  const r = loaded?.[0];
  return r ? { sender: Number(r.sender), kind: String(r.kind), recalled: r.recalled === true || r.recalled === "t" } : null;
}
function amend(ctx, e) {
  const op = e.kind === "edit" ? "chat.edit" : "chat.recall";
  if (!ctx.members[e.by]) return fail2(ctx, op, "forbidden", "only members change messages");
  if (e.target < 1 || e.target > ctx.seq || !e.entry) return fail2(ctx, op, "not_found", "no such message");
  if (e.entry.sender !== e.by) return fail2(ctx, op, "forbidden", `you can only ${e.kind} your own messages`);
  if (e.entry.kind !== "text") return fail2(ctx, op, "conflict", `only a text message can be ${e.kind === "edit" ? "edited" : "recalled"}`);
  if (e.entry.recalled) return fail2(ctx, op, "conflict", "the message was recalled");
  return chain(appendEntry(ctx, { kind: e.kind, from: e.by, body: e.body ?? "", at: e.at, ref: e.target }, e.origin), (c) => done(c, effects.reply({ seq: c.seq })));
}
function block2(ctx, e) {
  if (ctx.kind !== "direct" || !ctx.members[e.by]) return done(ctx);
  return done({ ...ctx, blocked: { ...ctx.blocked, [e.by]: e.on } });
}
function rosterOf(ctx) {
  return Object.fromEntries(Object.entries(ctx.members).map(([u, m]) => [u, m.r]));
}
function watchRoster(ctx, e) {
  if (!ctx.members[e.user]) return fail2(ctx, "watch.join", "forbidden", "only members of the room watch with it");
  const next = ctx.watched ? ctx : { ...ctx, watched: true };
  return done(next, effects.send("watch", ctx.rid, { type: "roster", members: rosterOf(next) }), effects.reply({}));
}
function rosterChanges(before, after) {
  if (!after.watched || !before.watched || before.members === after.members) return [];
  const out2 = [];
  for (const u of /* @__PURE__ */ new Set([...Object.keys(before.members), ...Object.keys(after.members)])) {
    const was = before.members[u]?.r ?? null;
    const now = after.members[u]?.r ?? null;
    if (was !== now) out2.push(effects.send("watch", after.rid, { type: "member", user: Number(u), role: now }));
  }
  return out2;
}

// actors/room/machine.ts
var apply2 = (f) => enqueueActions(({ context, event, enqueue }) => {
  const ctx = context;
  const out2 = f(ctx, event);
  if (out2.ctx !== ctx) enqueue.assign(() => out2.ctx);
  for (const e of out2.effects) enqueue.emit(e);
  for (const e of rosterChanges(ctx, out2.ctx)) enqueue.emit(e);
});
var notFound = emit(() => effects.fail("not_found", "no such room"));
function roomMachine(maxMembers) {
  return setup({
    types: { context: {}, events: {}, emitted: {}, input: {} },
    guards: {
      isDirect: ({ context }) => context.kind === "direct",
      // a refused first message (blocked, not a member) leaves the conversation unborn
      directPostAccepted: ({ context, event }) => context.kind === "direct" && !post(context, { ...event, at: event.meta.at }, false).effects.some((e) => e.type === "fail")
    }
  }).createMachine({
    id: "room",
    context: ({ input }) => initialContext(input.rid),
    initial: "unborn",
    states: {
      unborn: {
        on: {
          create: [
            { guard: "isDirect", actions: emit(() => effects.fail("bad_request", "direct conversations start with a message")) },
            { target: "live", actions: apply2((c, e) => create(c, { ...e, at: e.meta.at }, maxMembers)) }
          ],
          post: [
            { guard: "directPostAccepted", target: "live", actions: apply2((c, e) => post(c, { ...e, at: e.meta.at }, false)) },
            { guard: "isDirect", actions: apply2((c, e) => post(c, { ...e, at: e.meta.at }, false)) },
            { actions: notFound }
          ],
          block: { actions: apply2((c, e) => block2(c, e)) },
          info: { actions: notFound },
          "*": { actions: notFound }
        }
      },
      live: {
        on: {
          create: { actions: emit(() => effects.fail("conflict", "the room exists")) },
          post: { actions: apply2((c, e) => post(c, { ...e, at: e.meta.at }, true)) },
          // the target entry's facts come from the room's own rows (loaded by the runtime: mod.ts)
          edit: { actions: apply2((c, e) => amend(c, { ...e, kind: "edit", entry: entryFacts(e.loaded), at: e.meta.at })) },
          recall: { actions: apply2((c, e) => amend(c, { ...e, kind: "recall", entry: entryFacts(e.loaded), at: e.meta.at })) },
          join: { actions: apply2((c, e) => join(c, { ...e, at: e.meta.at }, maxMembers)) },
          invite: { actions: apply2((c, e) => invite(c, { ...e, at: e.meta.at }, maxMembers)) },
          leave: { actions: apply2((c, e) => leave(c, { ...e, at: e.meta.at })) },
          kick: { actions: apply2((c, e) => kick(c, { ...e, at: e.meta.at })) },
          update: { actions: apply2((c, e) => update(c, { ...e, at: e.meta.at })) },
          role: { actions: apply2((c, e) => setRole(c, { ...e, at: e.meta.at })) },
          block: { actions: apply2((c, e) => block2(c, e)) },
          watchRoster: { actions: apply2((c, e) => watchRoster(c, e)) },
          info: {
            actions: emit(({ context }) => effects.reply({
              room: summary(context),
              seq: context.seq,
              members: Object.entries(context.members).map(([u, m]) => ({ user: Number(u), role: m.r }))
            }))
          }
        }
      }
    }
  });
}

// actors/room/writers.ts
var { rooms, roomMembers } = tables_exports;
var { messages } = partitioned_exports;
function preview(e) {
  if (e.kind === "text") return e.body.slice(0, 120);
  if (e.kind === "system") return `[${String(e.data?.event ?? "event")}]`;
  return e.kind === "edit" ? `[edited] ${e.body.slice(0, 100)}` : "[recalled]";
}
var col = (c) => `"${c.name}"`;
var M = messages;
var R = rooms;
var INSERT_ENTRIES = `insert into "${getTableName(M)}" (${[M.roomId, M.seq, M.senderId, M.kind, M.body, M.clientMsgId, M.refSeq, M.fileId, M.data, M.createdAt].map(col).join(", ")})
  select room, seq, sender, kind, body, client_msg_id, ref, file, data, at
  from jsonb_to_recordset($1::jsonb) as x(room text, seq bigint, sender bigint, kind text, body text, client_msg_id text, ref bigint, file text, data jsonb, at timestamptz)`;
var UPDATE_LAST = `update "${getTableName(R)}" r set ${col(R.lastSeq)} = x.seq, ${col(R.lastAt)} = x.at, ${col(R.lastSender)} = x.sender, ${col(R.lastPreview)} = x.preview
  from (select distinct on (room) room, seq, at, sender, preview
        from jsonb_to_recordset($1::jsonb) as y(room text, seq bigint, at timestamptz, sender bigint, preview text) order by room, seq desc) x
  where r.${col(R.id)} = x.room`;
var entryWriter = {
  batch(writes, db) {
    const entries = writes.map((w) => w.data);
    const rows = entries.map((e) => ({
      room: e.room,
      seq: e.seq,
      sender: e.from,
      kind: e.kind,
      body: e.body,
      client_msg_id: e.clientMsgId ?? null,
      ref: e.ref ?? null,
      file: e.file ?? null,
      data: e.data ?? null,
      at: new Date(e.at).toISOString()
    }));
    const lasts = entries.map((e) => ({ room: e.room, seq: e.seq, at: new Date(e.at).toISOString(), sender: e.from, preview: preview(e) }));
    const out2 = [{ sql: INSERT_ENTRIES, params: [JSON.stringify(rows)] }, { sql: UPDATE_LAST, params: [JSON.stringify(lasts)] }];
    for (const e of entries) {
      const at = new Date(e.at);
      if (e.kind === "edit") out2.push(db.update(messages).set({ body: e.body, editedAt: at }).where(and(eq(messages.roomId, e.room), eq(messages.seq, e.ref))));
      if (e.kind === "recall") out2.push(db.update(messages).set({ body: "", recalled: true, fileId: null }).where(and(eq(messages.roomId, e.room), eq(messages.seq, e.ref))));
    }
    return out2;
  }
};
function writeRoom(data, _actor, db) {
  const r = data;
  const values = { kind: r.kind, name: r.name, description: r.description, open: r.open, ownerId: r.owner };
  return [db.insert(rooms).values({ id: r.rid, ...values }).onConflictDoUpdate({ target: rooms.id, set: values })];
}
function writeMembers(data, _actor, db) {
  const c = data;
  const out2 = [];
  if (c.add?.length) {
    out2.push(db.insert(roomMembers).values(c.add.map((a) => ({ roomId: c.rid, userId: a.user, role: a.role, joinedAt: new Date(a.at) }))).onConflictDoUpdate({ target: [roomMembers.roomId, roomMembers.userId], set: { role: sql`excluded.role` } }));
  }
  if (c.remove?.length) out2.push(db.delete(roomMembers).where(and(eq(roomMembers.roomId, c.rid), inArray(roomMembers.userId, c.remove))));
  for (const r of c.roles ?? []) out2.push(db.update(roomMembers).set({ role: r.role }).where(and(eq(roomMembers.roomId, c.rid), eq(roomMembers.userId, r.user))));
  return out2;
}

// actors/room/mod.ts
function roomKind(opts) {
  return defineKind({
    kind: "room",
    machine: roomMachine(opts.maxRoomMembers),
    version: 2,
    // 2: `watched` (whether the room's watch actor hears membership changes)
    migrate: (state) => ({ ...state, context: { ...state.context, watched: false } }),
    messages: RoomMessage,
    input: (id) => ({ rid: id }),
    writers: { entry: entryWriter, room: writeRoom, members: writeMembers },
    // who wrote the target of an edit or recall, and whether it was recalled, from the room's own
    // rows: the room decides, nothing the gateway read before the ask is trusted
    loads: { edit: targetEntry, recall: targetEntry },
    queries: ["info"],
    // a post changes the sequence, not the member map: the map is written only when it changes
    apart: ["members"]
  });
}
function targetEntry(event, actor) {
  return sql`select sender_id as sender, kind, recalled from messages where room_id = ${actor.id} and seq = ${Number(event.target)}`;
}

// actors/watch/rules.ts
var defaultWatchOptions = {
  prepareMs: 3e3,
  startLeadMs: 250,
  maxStartLeadMs: 2e3,
  stallPauseMs: 8e3,
  stallPauseLimit: 3,
  stallWindowMs: 5 * 6e4,
  controlBurst: 10,
  controlPerMinute: 60,
  maxViewers: 100,
  seekCoalesceMs: 150
};
function initialContext2(rid) {
  return {
    rid,
    roster: null,
    epoch: 0,
    position: 0,
    at: 0,
    rate: 1,
    media: null,
    location: null,
    posEpoch: 0,
    settings: { control: "everyone", pauseForStalls: false },
    viewers: {},
    vv: 0,
    waiting: [],
    burst: null,
    buckets: {},
    stallPauses: {},
    deadlines: {}
  };
}
function timeline(state, ctx) {
  return {
    epoch: ctx.epoch,
    state,
    position: ctx.position,
    at: ctx.at,
    rate: ctx.rate,
    media: ctx.media,
    ...state === "preparing" && ctx.deadlines.prepare !== void 0 ? { until: ctx.deadlines.prepare } : {}
  };
}
var point = (state, ctx) => ({ state, position: ctx.position, at: ctx.at, rate: ctx.rate, durationMs: ctx.media?.durationMs ?? 0 });
function isReady(ctx, v) {
  return !v.st && v.r >= ctx.posEpoch;
}
function viewerList(ctx) {
  return Object.entries(ctx.viewers).sort((a, b) => a[1].t - b[1].t || a[0].localeCompare(b[0])).map(([viewer, v]) => ({ viewer, user: v.u, name: v.n, status: v.st ? "stalled" : isReady(ctx, v) ? "ready" : "loading", since: v.t }));
}
function mayControl(ctx, user) {
  const role = ctx.roster?.[user];
  if (!role) return false;
  return allowed(ctx.settings.control, role);
}
function allowed(policy, role) {
  return policy === "everyone" || policy === "admins" && role !== "member" || role === "owner";
}
function isMember(ctx, user) {
  return ctx.roster?.[user] !== void 0;
}
var push = (ctx, body) => effects.publish(subjects.watchEvents(ctx.rid), { push: body });
function summaryRow(state, ctx) {
  return effects.write("room", { room: ctx.rid, state, file: ctx.media?.file ?? null, title: ctx.media?.title ?? "", viewers: Object.keys(ctx.viewers).length });
}
function placementSync(ctx, location2, file, viewers) {
  if (!location2) return [];
  return [effects.send("group", location2.group, {
    type: "viewers",
    room: ctx.rid,
    version: ctx.vv,
    file: file ? { id: file, origin: location2.origin, binlogSeq: location2.binlogSeq } : null,
    viewers
  }, `viewers:${ctx.rid}:${location2.group}:${ctx.vv}`)];
}
function viewersMoved(before, ctx) {
  const next = { ...ctx, vv: ctx.vv + 1 };
  const out2 = [];
  if (before.location && before.location.group !== next.location?.group) out2.push(...placementSync(next, before.location, null, []));
  out2.push(...placementSync(next, next.location, next.media?.file ?? null, next.media ? Object.keys(next.viewers).sort() : []));
  return { ctx: next, effects: out2 };
}
function viewersPush(before, after) {
  const now = viewerList(after);
  if (JSON.stringify(viewerList(before)) === JSON.stringify(now)) return { ctx: after, effects: [] };
  const ctx = { ...after, vr: (after.vr ?? 0) + 1 };
  return { ctx, effects: [push(ctx, { op: "watch.viewers", room: ctx.rid, viewers: now, viewersRev: ctx.vr })] };
}
var done2 = (to, ctx, ...effs) => ({ to, ctx, effects: effs });
var refuse = (to, ctx, _op, code, message) => done2(to, ctx, effects.fail(code, message));
function without2(rec, ...keys) {
  if (!keys.some((k) => k in rec)) return rec;
  const out2 = { ...rec };
  for (const k of keys) delete out2[k];
  return out2;
}
function change(from, ctx, to, fields, cause, prepareUntil) {
  const epoch = ctx.epoch + 1;
  let next = { ...ctx, ...fields, epoch };
  if (fields.position !== void 0) next.position = Math.max(0, Math.round(fields.position));
  let deadlines = without2(next.deadlines, "prepare", "end");
  if (to === "preparing") deadlines = { ...deadlines, prepare: prepareUntil ?? next.deadlines.prepare ?? next.at };
  const end = endTime(point(to, next));
  if (end !== null) deadlines = { ...deadlines, end: Math.ceil(end) };
  if (to !== "preparing") next = { ...next, waiting: [] };
  next = { ...next, deadlines };
  const effs = [push(next, { op: "watch.timeline", room: next.rid, timeline: timeline(to, next), cause: cause.op, ...cause.by !== void 0 ? { by: cause.by } : {} })];
  if (from !== to || fields.media !== void 0) effs.push(summaryRow(to, next));
  const seen = viewersPush(ctx, next);
  return { to, ctx: seen.ctx, effects: [...effs, ...seen.effects] };
}
function chain2(first, ...more) {
  let out2 = first;
  for (const f of more) {
    const next = f(out2);
    out2 = { to: next.to, ctx: next.ctx, effects: [...out2.effects, ...next.effects] };
  }
  return out2;
}
function takeToken(ctx, user, at, o) {
  const b = ctx.buckets[user];
  const perMs = o.controlPerMinute / 6e4;
  const tokens = b ? Math.min(o.controlBurst, b.tokens + (at - b.at) * perMs) : o.controlBurst;
  if (tokens < 1) return null;
  const buckets2 = {};
  for (const [u, x] of Object.entries(ctx.buckets)) if (u !== String(user) && x.tokens + (at - x.at) * perMs < o.controlBurst) buckets2[u] = x;
  buckets2[user] = { tokens: tokens - 1, at };
  return { ...ctx, buckets: buckets2 };
}
function authorize(state, ctx, op, by) {
  if (!isMember(ctx, by)) return refuse(state, ctx, op, "forbidden", "only members of the room control what it watches");
  if (!mayControl(ctx, by)) return refuse(state, ctx, op, "forbidden", `in this room ${ctx.settings.control === "owner" ? "only the owner controls" : "only the owner and admins control"} playback`);
  if (op !== "watch.load" && state === "idle") return refuse(state, ctx, op, "conflict", "nothing is loaded: pick a movie first (watch.load)");
  return null;
}
function admit(state, ctx, op, e, o, epochOk = e.epoch === ctx.epoch) {
  const refused = authorize(state, ctx, op, e.by);
  if (refused) return refused;
  if (!epochOk) return refuse(state, ctx, op, "conflict", `the timeline moved on (epoch ${ctx.epoch}, your command is based on ${e.epoch}): look at the current one and decide again`);
  const taken = takeToken(ctx, e.by, e.at, o);
  if (!taken) return refuse(state, ctx, op, "rate_limited", `at most ${o.controlBurst} control requests at once and ${o.controlPerMinute} a minute`);
  return taken;
}
function noChange(state, ctx, op, by) {
  return authorize(state, ctx, op, by) ?? reply(done2(state, ctx));
}
var reply = (o, extra = {}) => ({ ...o, effects: [...o.effects, effects.reply({ timeline: timeline(o.to, o.ctx), ...extra })] });
function startLead(ctx, o) {
  const rtt = Math.max(0, ...Object.values(ctx.viewers).map((v) => v.rtt));
  return Math.min(o.maxStartLeadMs, o.startLeadMs + 2 * rtt);
}
function start(ctx, at, o, by) {
  return change("preparing", ctx, "playing", { at: at + startLead(ctx, o) }, { op: "start", ...by !== void 0 ? { by } : {} });
}
function prepare(from, ctx, at, o, fields, cause, untilMs = o.prepareMs) {
  const entered = change(from, ctx, "preparing", { at, ...fields }, cause, at + untilMs);
  return settlePreparing(entered, at, o);
}
function settlePreparing(o, at, opts) {
  if (o.to !== "preparing") return o;
  const waiting = o.ctx.waiting.filter((c) => o.ctx.viewers[c] && !isReady(o.ctx, o.ctx.viewers[c]));
  const ctx = waiting.length === o.ctx.waiting.length ? o.ctx : { ...o.ctx, waiting };
  if (waiting.length > 0) return { ...o, ctx };
  return chain2({ ...o, ctx }, (x) => start(x.ctx, at, opts));
}
function load(state, ctx, e, o) {
  const a = admit(state, ctx, "watch.load", e, o);
  if ("to" in a) return a;
  const base = { ...a, burst: null, deadlines: without2(a.deadlines, "seek"), viewers: Object.fromEntries(Object.entries(a.viewers).map(([c, v]) => [c, { ...v, st: false }])) };
  const moved = viewersMoved(ctx, { ...base, media: e.media, location: e.location });
  const out2 = prepare(state, moved.ctx, e.at, o, {
    position: 0,
    rate: 1,
    media: e.media,
    location: e.location,
    posEpoch: ctx.epoch + 1,
    waiting: Object.keys(a.viewers)
  }, { op: "load", by: e.by });
  return reply({ ...out2, effects: [...moved.effects, ...out2.effects] });
}
function play(state, ctx, e, o) {
  if (state === "playing" || state === "preparing") return noChange(state, ctx, "watch.play", e.by);
  const a = admit(state, ctx, "watch.play", e, o);
  if ("to" in a) return a;
  if (state === "ended") {
    return reply(prepare(state, a, e.at, o, { position: 0, posEpoch: a.epoch + 1, waiting: Object.keys(a.viewers) }, { op: "play", by: e.by }));
  }
  const notReady = Object.entries(a.viewers).filter(([, v]) => !isReady(a, v)).map(([c]) => c);
  return reply(prepare(state, a, e.at, o, { waiting: notReady }, { op: "play", by: e.by }));
}
function pause(state, ctx, e, o) {
  if (state === "paused" || state === "ended") return noChange(state, ctx, "watch.pause", e.by);
  const a = admit(state, ctx, "watch.pause", e, o);
  if ("to" in a) return a;
  return reply(change(state, a, "paused", { position: targetPosition(point(state, a), e.at), at: e.at }, { op: "pause", by: e.by }));
}
function seek(state, ctx, e, o) {
  const b = ctx.burst;
  const inBurst = b !== null && e.at < b.until && e.epoch >= b.base && e.epoch <= ctx.epoch;
  const a = admit(state, ctx, "watch.seek", e, o, inBurst || e.epoch === ctx.epoch);
  if ("to" in a) return a;
  const position = clampPosition(a, e.position);
  if (inBurst) {
    const next = { ...a, burst: { ...b, pending: { position, by: e.by } }, deadlines: { ...a.deadlines, seek: b.until } };
    return reply(done2(state, next), { pending: true });
  }
  const opened = { ...a, burst: { until: e.at + o.seekCoalesceMs, base: ctx.epoch, pending: null }, deadlines: without2(a.deadlines, "seek") };
  return reply(jump(state, opened, position, e.at, o, e.by));
}
function jump(state, ctx, position, at, o, by) {
  const cause = { op: "seek", by };
  if (state === "playing" || state === "preparing") {
    return prepare(state, ctx, at, o, { position, posEpoch: ctx.epoch + 1, waiting: Object.keys(ctx.viewers) }, cause);
  }
  return change(state, ctx, "paused", { position, at, posEpoch: ctx.epoch + 1 }, cause);
}
function clampPosition(ctx, position) {
  const d = ctx.media?.durationMs ?? 0;
  return d > 0 ? Math.min(position, d) : position;
}
function seekBurstEnds(state, ctx, at, o) {
  const b = ctx.burst;
  const base = { ...ctx, deadlines: without2(ctx.deadlines, "seek") };
  if (!b?.pending || state === "idle") return done2(state, { ...base, burst: null });
  return jump(state, { ...base, burst: { until: at + o.seekCoalesceMs, base: b.base, pending: null } }, clampPosition(ctx, b.pending.position), at, o, b.pending.by);
}
function setRate(state, ctx, e, o) {
  const a = admit(state, ctx, "watch.rate", e, o);
  if ("to" in a) return a;
  if (state === "playing" && e.at >= a.at) {
    return reply(change(state, a, "playing", { position: targetPosition(point(state, a), e.at), at: e.at, rate: e.rate }, { op: "rate", by: e.by }));
  }
  return reply(change(state, a, state, { rate: e.rate }, { op: "rate", by: e.by }));
}
function prepareTimeout(state, ctx, at, o) {
  const base = { ...ctx, deadlines: without2(ctx.deadlines, "prepare") };
  if (state !== "preparing") return done2(state, base);
  return start(ctx, at, o);
}
function reachEnd(state, ctx, at) {
  const base = { ...ctx, deadlines: without2(ctx.deadlines, "end") };
  if (state !== "playing") return done2(state, base);
  const end = endTime(point(state, ctx));
  if (end === null || end > at + 1) return done2(state, ctx);
  return change(state, base, "ended", { position: ctx.media?.durationMs ?? ctx.position, at }, { op: "end" });
}
function join2(state, ctx, e, o) {
  if (ctx.roster === null) return refuse(state, ctx, "watch.join", "not_found", "the room has not told its members yet");
  const role = ctx.roster[e.user];
  if (!role) return refuse(state, ctx, "watch.join", "forbidden", "only members of the room watch with it");
  const answer = (c) => effects.reply({ timeline: timeline(state, c), settings: c.settings, viewers: viewerList(c), viewersRev: c.vr ?? 0, viewer: e.conn, role, mayControl: mayControl(c, e.user) });
  if (ctx.viewers[e.conn]) return done2(state, ctx, answer(ctx));
  if (Object.keys(ctx.viewers).length >= o.maxViewers) return refuse(state, ctx, "watch.join", "limit_exceeded", `a room has at most ${o.maxViewers} viewers`);
  const added = { ...ctx, viewers: { ...ctx.viewers, [e.conn]: { u: e.user, n: e.name, g: e.gateway, t: e.at, r: -1, st: false, rtt: 0 } } };
  const moved = viewersMoved(ctx, added);
  const seen = viewersPush(ctx, moved.ctx);
  return done2(
    state,
    seen.ctx,
    effects.write("viewers", { room: ctx.rid, add: [{ conn: e.conn, user: e.user, gateway: e.gateway, at: e.at }] }),
    summaryRow(state, seen.ctx),
    ...moved.effects,
    ...seen.effects,
    answer(seen.ctx)
  );
}
function dropViewers(state, ctx, conns, at, o) {
  const gone = conns.filter((c) => ctx.viewers[c]);
  if (gone.length === 0) return done2(state, ctx);
  const removed = { ...ctx, viewers: without2(ctx.viewers, ...gone), stallPauses: without2(ctx.stallPauses, ...gone) };
  const moved = viewersMoved(ctx, removed);
  const seen = viewersPush(ctx, moved.ctx);
  const out2 = done2(
    state,
    seen.ctx,
    effects.write("viewers", { room: ctx.rid, remove: gone }),
    summaryRow(state, seen.ctx),
    ...moved.effects,
    ...seen.effects
  );
  return chain2(out2, (x) => settlePreparing(done2(x.to, x.ctx), at, o));
}
function leave2(state, ctx, e, o) {
  return chain2(dropViewers(state, ctx, [e.conn], e.at, o), (x) => done2(x.to, x.ctx, effects.reply({})));
}
function gatewayDown(state, ctx, e, o) {
  return dropViewers(state, ctx, Object.entries(ctx.viewers).filter(([, v]) => v.g === e.gateway).map(([c]) => c), e.at, o);
}
function ownViewer(ctx, user, conn) {
  const v = ctx.viewers[conn];
  return v && v.u === user ? v : null;
}
function ready(state, ctx, e, o) {
  const v = ownViewer(ctx, e.user, e.conn);
  if (!v) return refuse(state, ctx, "watch.ready", "forbidden", "this connection is not watching the room (watch.join first)");
  if (e.epoch < ctx.posEpoch || e.epoch > ctx.epoch || v.r >= e.epoch && !v.st && (e.rttMs === void 0 || e.rttMs === v.rtt)) return done2(state, ctx, effects.reply({}));
  const next = { ...ctx, viewers: { ...ctx.viewers, [e.conn]: { ...v, r: Math.max(v.r, e.epoch), st: false, rtt: e.rttMs ?? v.rtt } } };
  const seen = viewersPush(ctx, next);
  return chain2(done2(state, seen.ctx, ...seen.effects), (x) => settlePreparing(x, e.at, o), (x) => done2(x.to, x.ctx, effects.reply({})));
}
function stallPausesLeft(ctx, conn, at, o) {
  return (ctx.stallPauses[conn] ?? []).filter((t) => at - t < o.stallWindowMs).length < o.stallPauseLimit;
}
function stall(state, ctx, e, o) {
  const v = ownViewer(ctx, e.user, e.conn);
  if (!v) return refuse(state, ctx, "watch.stall", "forbidden", "this connection is not watching the room (watch.join first)");
  if (state !== "playing" || e.epoch !== ctx.epoch || v.st) return done2(state, ctx, effects.reply({}));
  const seen = viewersPush(ctx, { ...ctx, viewers: { ...ctx.viewers, [e.conn]: { ...v, st: true } } });
  const next = seen.ctx;
  const marked = done2(state, next, ...seen.effects);
  if (!ctx.settings.pauseForStalls || !stallPausesLeft(ctx, e.conn, e.at, o)) return chain2(marked, (x) => done2(x.to, x.ctx, effects.reply({})));
  const recent = [...(ctx.stallPauses[e.conn] ?? []).filter((t) => e.at - t < o.stallWindowMs), e.at];
  const paused = { ...next, stallPauses: { ...next.stallPauses, [e.conn]: recent } };
  return chain2(
    marked,
    () => prepare(state, paused, e.at, o, { position: targetPosition(point(state, ctx), e.at), waiting: [e.conn] }, { op: "stall", by: v.u }, o.stallPauseMs),
    (x) => done2(x.to, x.ctx, effects.reply({}))
  );
}
function source(state, ctx, e) {
  if (!ownViewer(ctx, e.user, e.conn)) return refuse(state, ctx, "watch.source", "forbidden", "this connection is not watching the room (watch.join first)");
  if (!ctx.media || !ctx.location) return refuse(state, ctx, "watch.source", "conflict", "nothing is loaded");
  return done2(state, ctx, effects.reply({ file: ctx.media.file, version: ctx.vv, contentType: ctx.media.contentType, size: ctx.media.size }));
}
function view2(state, ctx, e) {
  if (ctx.roster === null) return refuse(state, ctx, "watch.state", "not_found", "the room has not told its members yet");
  if (!isMember(ctx, e.user)) return refuse(state, ctx, "watch.state", "forbidden", "only members see what the room watches");
  return done2(state, ctx, effects.reply({ timeline: timeline(state, ctx), settings: ctx.settings, viewers: viewerList(ctx), viewersRev: ctx.vr ?? 0 }));
}
function settings(state, ctx, e) {
  const role = ctx.roster?.[e.by];
  if (!role) return refuse(state, ctx, "watch.settings", "forbidden", "only members of the room change its settings");
  if (role === "member") return refuse(state, ctx, "watch.settings", "forbidden", "only the owner and admins change the room's watch settings");
  if (e.control === "owner" && role !== "owner") return refuse(state, ctx, "watch.settings", "forbidden", "only the owner hands control to the owner alone");
  const next = { ...ctx, settings: { control: e.control ?? ctx.settings.control, pauseForStalls: e.pauseForStalls ?? ctx.settings.pauseForStalls } };
  if (JSON.stringify(next.settings) === JSON.stringify(ctx.settings)) return done2(state, ctx, effects.reply({ settings: ctx.settings }));
  return done2(state, next, push(next, { op: "watch.settings", room: ctx.rid, settings: next.settings, by: e.by }), effects.reply({ settings: next.settings }));
}
function removedFromRoom(ctx, users2) {
  const conns = Object.entries(ctx.viewers).filter(([, v]) => users2.has(v.u)).map(([c]) => c);
  const effs = [...users2].filter((u) => conns.some((c) => ctx.viewers[c].u === u)).map((u) => effects.publish(subjects.userEvents(u), {
    watch: { leave: [ctx.rid] },
    push: { op: "watch.left", room: ctx.rid, reason: "removed" }
  }));
  return { conns, effects: effs };
}
function roster(state, ctx, e, o) {
  const next = { ...ctx, roster: e.members };
  const gone = new Set(Object.values(ctx.viewers).map((v) => v.u).filter((u) => !e.members[u]));
  const r = removedFromRoom(ctx, gone);
  return chain2(done2(state, next, ...r.effects), (x) => dropViewers(x.to, x.ctx, r.conns, e.at, o));
}
function member(state, ctx, e, o) {
  if (ctx.roster === null) return done2(state, ctx);
  if (e.role !== null) return done2(state, { ...ctx, roster: { ...ctx.roster, [e.user]: e.role } });
  const next = { ...ctx, roster: without2(ctx.roster, String(e.user)) };
  const r = removedFromRoom(ctx, /* @__PURE__ */ new Set([e.user]));
  return chain2(done2(state, next, ...r.effects), (x) => dropViewers(x.to, x.ctx, r.conns, e.at, o));
}

// actors/watch/machine.ts
var on = (f) => (s, c, e) => f(s, c, e);
var fromRoom = (ctx, e) => e.meta.from === `room.${ctx.rid}`;
function watchRules(o) {
  return {
    join: on((s, c, e) => join2(s, c, { ...e, at: e.meta.at }, o)),
    leave: on((s, c, e) => leave2(s, c, { ...e, at: e.meta.at }, o)),
    gatewayDown: on((s, c, e) => gatewayDown(s, c, { ...e, at: e.meta.at }, o)),
    state: on((s, c, e) => view2(s, c, e)),
    load: on((s, c, e) => load(s, c, { ...e, at: e.meta.at }, o)),
    play: on((s, c, e) => play(s, c, { ...e, at: e.meta.at }, o)),
    pause: on((s, c, e) => pause(s, c, { ...e, at: e.meta.at }, o)),
    seek: on((s, c, e) => seek(s, c, { ...e, at: e.meta.at }, o)),
    rate: on((s, c, e) => setRate(s, c, { ...e, at: e.meta.at }, o)),
    ready: on((s, c, e) => ready(s, c, { ...e, at: e.meta.at }, o)),
    stall: on((s, c, e) => stall(s, c, { ...e, at: e.meta.at }, o)),
    source: on((s, c, e) => source(s, c, e)),
    settings: on((s, c, e) => settings(s, c, e)),
    roster: on((s, c, e) => fromRoom(c, e) ? roster(s, c, { ...e, at: e.meta.at }, o) : { to: s, ctx: c, effects: [] }),
    member: on((s, c, e) => fromRoom(c, e) ? member(s, c, { ...e, at: e.meta.at }, o) : { to: s, ctx: c, effects: [] }),
    timer: on((s, c, e) => {
      if (e.name === "prepare") return prepareTimeout(s, c, e.meta.at, o);
      if (e.name === "end") return reachEnd(s, c, e.meta.at);
      if (e.name === "seek") return seekBurstEnds(s, c, e.meta.at, o);
      return { to: s, ctx: c, effects: [] };
    })
  };
}
function watchMachine(o) {
  const r = watchRules(o);
  const decided = /* @__PURE__ */ new WeakMap();
  const decide = (from, rule, ctx, ev) => {
    const hit = decided.get(ev);
    if (hit && hit.ctx === ctx) return hit.out;
    const out2 = rule(from, ctx, ev);
    decided.set(ev, { ctx, out: out2 });
    return out2;
  };
  const s = setup({
    types: { context: {}, events: {}, emitted: {}, input: {} }
  });
  const apply3 = (from, rule, expect) => s.enqueueActions(({ context, event, enqueue }) => {
    const out2 = decide(from, rule, context, event);
    if (expect !== void 0 && out2.to !== expect) throw new Error(`watch: ${event.type} in ${from} went to ${out2.to}, which the statechart does not allow`);
    if (out2.ctx !== context) enqueue.assign(() => out2.ctx);
    for (const e of out2.effects) enqueue.emit(e);
  });
  const route = (from, rule, targets2 = []) => [
    ...targets2.map((target) => ({ guard: ({ context, event }) => decide(from, rule, context, event).to === target, target, actions: apply3(from, rule) })),
    { actions: apply3(from, rule, from) }
  ];
  const common = (from) => ({
    join: route(from, r.join),
    state: route(from, r.state),
    source: route(from, r.source),
    settings: route(from, r.settings),
    stall: route(from, r.stall),
    ready: route(from, r.ready, from === "preparing" ? ["playing"] : []),
    leave: route(from, r.leave, from === "preparing" ? ["playing"] : []),
    gatewayDown: route(from, r.gatewayDown, from === "preparing" ? ["playing"] : []),
    roster: route(from, r.roster, from === "preparing" ? ["playing"] : []),
    member: route(from, r.member, from === "preparing" ? ["playing"] : []),
    load: route(from, r.load, ["preparing", "playing"]),
    play: route(from, r.play),
    pause: route(from, r.pause),
    seek: route(from, r.seek),
    rate: route(from, r.rate),
    timer: route(from, r.timer)
  });
  return s.createMachine({
    id: "watch",
    context: ({ input }) => initialContext2(input.rid),
    initial: "idle",
    states: {
      // nothing loaded: only `load` moves it
      idle: { on: { ...common("idle") } },
      // members get ready at the position; play starts when they are (or at the deadline)
      preparing: {
        on: {
          ...common("preparing"),
          pause: route("preparing", r.pause, ["paused"]),
          seek: route("preparing", r.seek, ["playing"]),
          timer: route("preparing", r.timer, ["playing"])
        }
      },
      playing: {
        on: {
          ...common("playing"),
          pause: route("playing", r.pause, ["paused"]),
          seek: route("playing", r.seek, ["preparing"]),
          // a stall pauses the room only when its settings say so (back through preparing)
          stall: route("playing", r.stall, ["preparing"]),
          // the end of the movie, or a seek burst's last position
          timer: route("playing", r.timer, ["ended", "preparing"])
        }
      },
      paused: {
        on: {
          ...common("paused"),
          play: route("paused", r.play, ["preparing", "playing"])
        }
      },
      ended: {
        on: {
          ...common("ended"),
          play: route("ended", r.play, ["preparing", "playing"]),
          seek: route("ended", r.seek, ["paused"]),
          timer: route("ended", r.timer, ["paused"])
        }
      }
    }
  });
}

// actors/watch/writers.ts
var { watchRooms, watchViewers } = tables_exports;
function writeRoom2(data, _actor, db) {
  const r = data;
  const values = { state: r.state, fileId: r.file, title: r.title, viewers: r.viewers, updatedAt: sql`now()` };
  return [db.insert(watchRooms).values({ roomId: r.room, ...values }).onConflictDoUpdate({ target: watchRooms.roomId, set: values })];
}
function writeViewers(data, _actor, db) {
  const c = data;
  const out2 = [];
  if (c.add?.length) {
    out2.push(db.insert(watchViewers).values(c.add.map((a) => ({ roomId: c.room, conn: a.conn, userId: a.user, gateway: a.gateway, joinedAt: new Date(a.at) }))).onConflictDoNothing());
  }
  if (c.remove?.length) out2.push(db.delete(watchViewers).where(and(eq(watchViewers.roomId, c.room), inArray(watchViewers.conn, c.remove))));
  return out2;
}

// actors/watch/mod.ts
function watchKind(opts = {}) {
  return defineKind({
    kind: "watch",
    machine: watchMachine({ ...defaultWatchOptions, ...opts }),
    version: 1,
    messages: WatchMessage,
    input: (id) => ({ rid: id }),
    writers: { room: writeRoom2, viewers: writeViewers }
  });
}

// services/auth/passwords.ts
import { scrypt, randomBytes as randomBytes5, timingSafeEqual as timingSafeEqual2, createHash as createHash2 } from "node:crypto";
var KEYLEN = 32;
function scryptAsync(password, salt, N, r, p) {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEYLEN, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) => err ? reject(err) : resolve(key));
  });
}
async function hashPassword(password, N = 16384) {
  const salt = randomBytes5(16);
  const key = await scryptAsync(password, salt, N, 8, 1);
  return ["scrypt", N, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
}
async function verifyPassword(password, stored) {
  const [scheme, N, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await scryptAsync(password, Buffer.from(salt, "base64url"), Number(N), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual2(key, expected);
}
var decoy;
function decoyHash(N) {
  decoy ??= hashPassword(randomBytes5(12).toString("hex"), N);
  return decoy;
}
function newToken() {
  const token = randomBytes5(32).toString("base64url");
  return { token, hash: tokenHash(token) };
}
function tokenHash(token) {
  return createHash2("sha256").update(token).digest("hex");
}

// services/auth/service.ts
var { users, sessions } = tables_exports;
function isUniqueViolation(e) {
  const err = e;
  return err.code === "23505" || err.cause?.code === "23505";
}
function startAuthService(nc, db, opts) {
  const ttlMs = opts.sessionTtlHours * 36e5;
  async function grant(user, device) {
    const { token, hash } = newToken();
    const expiresAt = new Date(Date.now() + ttlMs);
    const [row] = await db.insert(sessions).values({ userId: user.id, tokenHash: hash, device, expiresAt }).returning({ id: sessions.id });
    return { token, user: { id: user.id, name: user.name }, expiresAt: expiresAt.toISOString(), sessionId: row.id, device };
  }
  return serve(nc, "auth", {
    async register({ name, password }) {
      const passwordHash = await hashPassword(password, opts.scryptCost);
      try {
        const [row] = await db.insert(users).values({ name, passwordHash }).returning({ id: users.id, name: users.name });
        return { user: row };
      } catch (e) {
        if (isUniqueViolation(e)) throw new TroupeError("name_taken", `the name "${name}" is already registered`);
        throw e;
      }
    },
    async login({ name, password, device }) {
      const [row] = await db.select().from(users).where(sql`lower(${users.name}) = lower(${name})`).limit(1);
      if (!row) {
        await verifyPassword(password, await decoyHash(opts.scryptCost));
        throw new TroupeError("bad_credentials");
      }
      if (!await verifyPassword(password, row.passwordHash)) throw new TroupeError("bad_credentials");
      return grant(row, device);
    },
    async resume({ token, device }) {
      const [row] = await db.select({ sessionId: sessions.id, device: sessions.device, expiresAt: sessions.expiresAt, id: users.id, name: users.name }).from(sessions).innerJoin(users, eq(users.id, sessions.userId)).where(and(eq(sessions.tokenHash, tokenHash(token)), isNull(sessions.revokedAt), gt(sessions.expiresAt, /* @__PURE__ */ new Date()))).limit(1);
      if (!row) throw new TroupeError("session_expired");
      const stored = row.device;
      await db.update(sessions).set({ lastSeenAt: /* @__PURE__ */ new Date() }).where(eq(sessions.id, row.sessionId));
      return { token, user: { id: row.id, name: row.name }, expiresAt: row.expiresAt.toISOString(), sessionId: row.sessionId, device: device ?? stored };
    },
    async logout({ sessionId }) {
      await db.update(sessions).set({ revokedAt: /* @__PURE__ */ new Date() }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
      return {};
    }
  });
}

// services/files/service.ts
var DEFAULT_PAGE = 50;
function fileInfo(row) {
  return { id: row.id, group: row.groupName, size: row.size, sha256: row.sha256, contentType: row.contentType, name: row.name, createdAt: row.createdAt.toISOString() };
}
function encodeCursor(row) {
  return Buffer.from(JSON.stringify([row.createdAt.getTime(), row.id])).toString("base64url");
}
function decodeCursor(cursor) {
  try {
    const [ms, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Number.isSafeInteger(ms) && typeof id === "string" && id.length <= 64) return { createdAt: new Date(ms), id };
  } catch {
  }
  throw new TroupeError("bad_request", "cursor: not one this service handed out");
}
function startFilesService(o) {
  const index = new FileIndex(o.db);
  const tickets = new Tickets(o.secret);
  const log10 = logger("files");
  const binlogs = /* @__PURE__ */ new Map();
  const origin = o.hostId.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 64) || "host";
  const ask3 = (kind, id, body) => o.actors.ask(kind, id, body, { timeoutMs: o.askTimeoutMs });
  const query = (kind, id, body) => o.actors.query(kind, id, body, { timeoutMs: o.askTimeoutMs });
  const turns = /* @__PURE__ */ new Map();
  const expiresAt = () => new Date(tickets.expiry(o.ticketTtlSeconds) * 1e3).toISOString();
  async function route(user, size) {
    const known = await index.routeOf(user);
    if (known) return known;
    const { group } = await ask3("tracker", TRACKER_ID, { type: "pickGroup", ...size ? { minFreeBytes: size } : {} });
    const assigned = await index.assignRoute(user, group);
    log10.info({ user, group: assigned }, "user routed to a storage group");
    return assigned;
  }
  async function own(user, id) {
    const row = await index.get(user, id);
    if (!row || row.status !== "active") throw new TroupeError("not_found", `no file ${id}`);
    return row;
  }
  async function readGrant(row, user, grant) {
    const { targets: targets2 } = await query("group", row.groupName, { type: "readTargets", origin: row.origin, binlogSeq: row.binlogSeq });
    const ticket = tickets.fileTicket("read", row.id, user, o.ticketTtlSeconds, grant);
    return { file: fileInfo(row), urls: targets2.map((t) => `${t.url}/files/${row.id}?ticket=${ticket}`), ticket, expiresAt: expiresAt() };
  }
  return serve(o.nc, "files", {
    async upload({ user, size }) {
      const group = await route(user, size);
      const { targets: ranked } = await query("group", group, { type: "uploadTarget", ...size ? { minFreeBytes: size } : {} });
      const turn = turns.get(group) ?? 0;
      turns.set(group, turn + 1);
      const first = turn % Math.min(3, ranked.length);
      const targets2 = [ranked[first], ...ranked.filter((_, i) => i !== first)];
      const ticket = tickets.uploadTicket(group, user, o.ticketTtlSeconds);
      const urls = targets2.map((t) => `${t.url}/files?ticket=${ticket}`);
      return { url: urls[0], urls, ticket, expiresAt: expiresAt(), group };
    },
    async download({ user, id }) {
      return readGrant(await own(user, id), user);
    },
    async link({ fileId, forUser, grant }) {
      const row = await index.getById(fileId);
      if (!row || row.status !== "active") throw new TroupeError("not_found", `no file ${fileId}`);
      log10.debug({ fileId, forUser, grant }, "read link issued");
      return readGrant(row, forUser, row.ownerId === forUser ? void 0 : grant);
    },
    // watch.source: the viewer's node, as the group actor places it (seed 000's room -> media
    // server map), and a read ticket for it; callers checked that the viewer watches the room
    async stream({ fileId, forUser, room, viewer, version, avoid }) {
      const row = await index.getById(fileId);
      if (!row || row.status !== "active") throw new TroupeError("not_found", `no file ${fileId}`);
      const { node, url } = await ask3("group", row.groupName, {
        type: "place",
        room,
        viewer,
        version,
        file: { id: row.id, origin: row.origin, binlogSeq: row.binlogSeq },
        ...avoid ? { avoid } : {}
      });
      const ticket = tickets.fileTicket("read", row.id, forUser, o.ticketTtlSeconds, row.ownerId === forUser ? void 0 : `watch:${room}`);
      return { url: `${url}/files/${row.id}?ticket=${ticket}`, node, expiresAt: expiresAt(), file: row.id, contentType: row.contentType, size: row.size };
    },
    async delete({ user, id }) {
      const row = await own(user, id);
      let binlog = binlogs.get(row.groupName);
      if (!binlog) binlogs.set(row.groupName, binlog = new Binlog(o.nc, row.groupName));
      const { binlogSeq } = await deleteFile(index, binlog, row, origin, log10);
      return { id, binlogSeq };
    },
    async list({ user, cursor, limit }) {
      const n = limit ?? DEFAULT_PAGE;
      const rows = await index.list(user, n + 1, cursor ? decodeCursor(cursor) : void 0);
      const page = rows.slice(0, n);
      return { files: page.map(fileInfo), ...rows.length > n ? { cursor: encodeCursor(page[page.length - 1]) } : {} };
    },
    async stat({ user, id }) {
      return { file: fileInfo(await own(user, id)) };
    }
  });
}

// services/library/service.ts
function item(r) {
  return {
    file: r.file_id,
    title: r.title,
    durationMs: Number(r.duration_ms),
    size: Number(r.size),
    contentType: r.content_type,
    addedBy: { id: Number(r.added_by), name: r.added_by_name ?? "" },
    publishedAt: new Date(r.published_at).toISOString()
  };
}
function encodeCursor2(i) {
  return Buffer.from(JSON.stringify([i.title_key, i.file_id])).toString("base64url");
}
function decodeCursor2(cursor) {
  try {
    const [title, file] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof title === "string" && typeof file === "string" && title.length <= 400 && file.length <= 64) return { title, file };
  } catch {
  }
  throw new TroupeError("bad_request", "cursor: not one this service handed out");
}
var likeEscape = (s) => s.replace(/[%_\\]/g, "\\$&");
var location = (row) => ({ group: row.groupName, origin: row.origin, binlogSeq: row.binlogSeq });
function startLibraryService(nc, db) {
  const files = new FileIndex(db);
  const log10 = logger("library");
  const select = sql`select l.file_id, l.title, l.duration_ms, l.size, l.content_type, l.added_by, u.name as added_by_name, l.published_at, lower(l.title) as title_key
    from library l left join users u on u.id = l.added_by`;
  async function liveFile(id) {
    const row = await files.getById(id);
    if (!row || row.status !== "active") throw new TroupeError("not_found", `no file ${id}`);
    return row;
  }
  return serve(nc, "library", {
    async list({ query, cursor, limit }) {
      const after = cursor ? decodeCursor2(cursor) : void 0;
      const rows = await queryRows(db, sql`${select}
        where true
        ${query ? sql`and lower(l.title) like ${"%" + likeEscape(query.toLowerCase()) + "%"}` : sql``}
        ${after ? sql`and (lower(l.title), l.file_id) > (${after.title}, ${after.file})` : sql``}
        order by lower(l.title), l.file_id limit ${limit + 1}`);
      const page = rows.slice(0, limit);
      return { items: page.map(item), ...rows.length > limit ? { cursor: encodeCursor2(page[page.length - 1]) } : {} };
    },
    async publish({ file, title, durationMs, by }) {
      const row = await liveFile(file);
      const addedBy = by ?? row.ownerId;
      if (by !== void 0 && !(await queryRows(db, sql`select 1 from users where id = ${by}`)).length) throw new TroupeError("not_found", `no user ${by}`);
      await db.execute(sql`
        insert into library (file_id, title, duration_ms, size, content_type, owner_id, added_by, group_name)
        values (${row.id}, ${title}, ${durationMs ?? 0}, ${row.size}, ${row.contentType}, ${row.ownerId}, ${addedBy}, ${row.groupName})
        on conflict (file_id) do update set title = excluded.title, duration_ms = excluded.duration_ms, added_by = excluded.added_by`);
      const [r] = await queryRows(db, sql`${select} where l.file_id = ${row.id}`);
      log10.info({ file, title }, "published in the library");
      return { item: item(r) };
    },
    async unpublish({ file }) {
      const rows = await queryRows(db, sql`delete from library where file_id = ${file} returning file_id`);
      if (rows.length) log10.info({ file }, "taken out of the library");
      return { removed: rows.length > 0 };
    },
    async media({ user, room, library, entry }) {
      if (library === void 0 === (entry === void 0)) throw new TroupeError("bad_request", "give exactly one of library and entry");
      if (library !== void 0) {
        const [r] = await queryRows(db, sql`${select} where l.file_id = ${library}`);
        if (!r) throw new TroupeError("not_found", `no movie ${library} in the library`);
        const row2 = await liveFile(library);
        const media2 = { file: row2.id, title: r.title, durationMs: Number(r.duration_ms), size: row2.size, contentType: row2.contentType, source: "library" };
        return { media: media2, location: location(row2) };
      }
      const [m] = await queryRows(db, sql`
        select e.file_id, e.recalled from room_members m join messages e on e.room_id = m.room_id
        where m.room_id = ${room} and m.user_id = ${user} and e.seq = ${entry}`);
      if (!m) throw new TroupeError("not_found", `no entry ${entry} in a room of yours`);
      if (!m.file_id || m.recalled) throw new TroupeError("not_found", `entry ${entry} shares no file`);
      const row = await liveFile(m.file_id);
      const media = { file: row.id, title: row.name || row.id, durationMs: 0, size: row.size, contentType: row.contentType, source: "room", entry };
      return { media, location: location(row) };
    }
  });
}

// services/watch/service.ts
var enc3 = new TextEncoder();
function startWatchService(nc, db, actors, askTimeoutMs) {
  const ask3 = (kind, id, body) => actors.ask(kind, id, body, { timeoutMs: askTimeoutMs });
  return serve(nc, "watch", {
    async report({ user, room, viewer, position, driftMs, status }) {
      const [m] = await queryRows(db, sql`select 1 from room_members where room_id = ${room} and user_id = ${user}`);
      if (!m) throw new TroupeError("forbidden", "only members report to a room");
      nc.publish(subjects.watchEvents(room), enc3.encode(JSON.stringify({ push: { op: "watch.report", room, viewer, user, position, driftMs, status } })));
      return {};
    },
    async rooms({ limit }) {
      const rows = await queryRows(db, sql`
        select room_id, state, file_id, title, viewers, updated_at from watch_rooms
        where viewers > 0 or file_id is not null order by updated_at desc limit ${limit}`);
      const nodes = /* @__PURE__ */ new Map();
      const { groups } = await ask3("tracker", TRACKER_ID, { type: "groups" });
      for (const g of groups) {
        const { rooms: rooms2 } = await ask3("group", g.name, { type: "placements" });
        for (const r of rooms2) nodes.set(r.room, [...nodes.get(r.room) ?? [], ...r.nodes.map((n) => ({ ...n, group: g.name }))]);
      }
      return {
        rooms: rows.map((r) => ({
          room: r.room_id,
          state: r.state,
          title: r.title,
          file: r.file_id,
          viewers: Number(r.viewers),
          nodes: nodes.get(r.room_id) ?? [],
          updatedAt: new Date(r.updated_at).toISOString()
        }))
      };
    }
  });
}

// gateway/server.ts
import net from "node:net";
import http3 from "node:http";

// gateway/limits.ts
var TokenBucket = class {
  constructor(burst, perSecond, now = Date.now()) {
    this.burst = burst;
    this.perSecond = perSecond;
    this.tokens = burst;
    this.last = now;
  }
  burst;
  perSecond;
  tokens;
  last;
  /** Takes one token; false when the bucket is empty. */
  take(now = Date.now()) {
    const elapsed = now - this.last;
    if (elapsed > 0) {
      this.tokens = Math.min(this.burst, this.tokens + elapsed * this.perSecond / 1e3);
      this.last = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
};

// gateway/metrics.ts
var gatewayMetrics = {
  connections: gauge("troupe_gateway_connections", "open client connections", ["transport"]),
  accepted: counter("troupe_gateway_connections_total", "client connections accepted", ["transport"]),
  framesIn: counter("troupe_gateway_frames_in_total", "client frames received", ["transport"]),
  framesOut: counter("troupe_gateway_frames_out_total", "frames sent to clients", ["transport"]),
  bytesIn: counter("troupe_gateway_bytes_in_total", "bytes received from clients", ["transport"]),
  errors: counter("troupe_gateway_errors_total", "error frames sent, by code", ["code"]),
  requests: histogram("troupe_gateway_request_duration_seconds", "client request latency at the gateway, by op", ["op"]),
  pushes: counter("troupe_gateway_pushes_total", "pushes delivered to client connections", ["op"]),
  refusedOrigins: counter("troupe_gateway_ws_refused_origins_total", "WebSocket upgrades refused for their Origin")
};

// gateway/connection.ts
var log3 = logger("connection");
var MAX_REJECTED_IN_A_ROW = 200;
var nextId = 1;
var Connection = class {
  constructor(transport, host) {
    this.transport = transport;
    this.host = host;
    this.bucket = new TokenBucket(host.limits.rateBurst, host.limits.ratePerSecond);
    this.loginDeadline = this.connectedAt + host.limits.loginTimeoutMs;
  }
  transport;
  host;
  id = nextId++;
  session;
  /** A login is under way (a second one is refused). */
  loggingIn = false;
  /** Logins on this connection so far (idempotency keys of presence reports differ per login). */
  logins = 0;
  /** `<gateway instance>/<id>`: this connection's name in presence. */
  key = "";
  connectedAt = Date.now();
  lastFrameAt = Date.now();
  /** When the login deadline runs out (reset on logout). */
  loginDeadline;
  inFlight = 0;
  rejectedInARow = 0;
  bucket;
  closing = false;
  get isOpen() {
    return !this.closing;
  }
  /** One complete frame's text arrived. */
  onText(text) {
    if (this.closing) return;
    this.lastFrameAt = Date.now();
    gatewayMetrics.framesIn.labels(this.transport.kind).inc();
    let envelope;
    try {
      envelope = parseEnvelope(text);
    } catch (e) {
      this.reject(ridOf(e), e);
      return;
    }
    const { op, rid, fields } = envelope;
    if (!this.bucket.take(this.lastFrameAt)) {
      this.reject(rid, new TroupeError("rate_limited", `more than ${this.host.limits.ratePerSecond} requests per second (burst ${this.host.limits.rateBurst})`));
      return;
    }
    if (!isOpName(op)) {
      this.reject(rid, new TroupeError("unknown_op", `unknown op "${op}"`));
      return;
    }
    const spec = ops[op];
    if (spec.auth && !this.session) {
      this.reject(rid, new TroupeError("unauthenticated", `${op} needs a logged-in connection`));
      return;
    }
    if (this.inFlight >= this.host.limits.maxInFlight) {
      this.reject(rid, new TroupeError("too_many_in_flight", `at most ${this.host.limits.maxInFlight} requests may be unanswered at once`));
      return;
    }
    let request2;
    try {
      request2 = validate(spec.request, fields);
    } catch (e) {
      this.reject(rid, e);
      return;
    }
    this.rejectedInARow = 0;
    this.inFlight++;
    const started = performance.now();
    this.host.dispatch(this, op, request2).then(
      (response) => {
        gatewayMetrics.requests.labels(op).observe((performance.now() - started) / 1e3);
        if (rid !== void 0) this.send(okResponse(rid, response));
      },
      (e) => {
        const err = toWireError(e);
        if (err.code === "internal") log3.error({ err: e, op, conn: this.id }, "handler failed");
        gatewayMetrics.errors.labels(err.code).inc();
        this.send(errorResponse(rid, err.code, err.message, op));
      }
    ).finally(() => {
      this.inFlight--;
    });
  }
  /** The transport could not read a frame. */
  onFrameError(code, message, fatal) {
    if (this.closing) return;
    this.lastFrameAt = Date.now();
    gatewayMetrics.framesIn.labels(this.transport.kind).inc();
    if (fatal) this.fail(code, message);
    else this.reject(void 0, new TroupeError(code, message));
  }
  reject(rid, e) {
    const err = toWireError(e);
    gatewayMetrics.errors.labels(err.code).inc();
    this.send(errorResponse(rid, err.code, err.message));
    if (++this.rejectedInARow > MAX_REJECTED_IN_A_ROW) this.fail("rate_limited", `${MAX_REJECTED_IN_A_ROW} rejected frames in a row`);
  }
  send(envelope) {
    if (this.closing || this.slow()) return;
    this.transport.sendText(JSON.stringify(envelope));
    gatewayMetrics.framesOut.labels(this.transport.kind).inc();
  }
  push(op, body) {
    gatewayMetrics.pushes.labels(op).inc();
    this.send(pushEnvelope(op, body));
  }
  /**
   * A push serialized once for many connections (the caller counts it: SessionHub); false when
   * the connection is closing or was cut off as a slow consumer.
   */
  pushEncoded(e) {
    if (this.closing || this.slow()) return false;
    this.transport.sendEncoded(e);
    return true;
  }
  slow() {
    if (this.transport.bufferedBytes() <= this.host.limits.maxBufferedBytes) return false;
    gatewayMetrics.errors.labels("slow_consumer").inc();
    log3.warn({ conn: this.id, remote: this.transport.remote, buffered: this.transport.bufferedBytes() }, "slow consumer disconnected");
    this.shutdown();
    return true;
  }
  /** Sends a final error frame (no rid) and closes. */
  fail(code, message) {
    if (this.closing) return;
    gatewayMetrics.errors.labels(code).inc();
    this.send(errorResponse(void 0, code, message, "error"));
    this.shutdown();
  }
  /** Closes the transport after what was sent is flushed; idempotent. */
  shutdown() {
    if (this.closing) return;
    this.closing = true;
    this.transport.close();
    this.host.closed(this);
  }
  /** The transport closed (either side). */
  onClosed() {
    if (this.closing) return;
    this.closing = true;
    this.host.closed(this);
  }
  /** Checked by the gateway's sweep: login deadline and idle timeout. */
  checkDeadlines(now) {
    if (this.closing) return;
    if (!this.session && now >= this.loginDeadline) this.fail("login_timeout", `not logged in within ${this.host.limits.loginTimeoutMs} ms`);
    else if (now - this.lastFrameAt >= this.host.limits.idleTimeoutMs) this.fail("idle_timeout", `nothing received for ${this.host.limits.idleTimeoutMs} ms`);
  }
};

// gateway/outbound.ts
var Encoded = class _Encoded {
  constructor(text) {
    this.text = text;
    this.bytes = Buffer.from(text, "utf8");
  }
  text;
  bytes;
  tcp;
  static of(envelope) {
    return new _Encoded(JSON.stringify(envelope));
  }
  /** 4-byte big-endian length + the bytes (protocol/frame.ts), shared by every TCP connection. */
  get tcpFrame() {
    if (!this.tcp) {
      this.tcp = Buffer.allocUnsafe(4 + this.bytes.length);
      this.tcp.writeUInt32BE(this.bytes.length, 0);
      this.bytes.copy(this.tcp, 4);
    }
    return this.tcp;
  }
};
var corked = /* @__PURE__ */ new Set();
var flushing = false;
function uncorkAll() {
  flushing = false;
  for (const s of corked) if (!s.destroyed) s.uncork();
  corked.clear();
}
function holdWrites(socket) {
  if (corked.has(socket) || socket.destroyed) return;
  socket.cork();
  corked.add(socket);
  if (!flushing) {
    flushing = true;
    setImmediate(uncorkAll);
  }
}

// gateway/tcp.ts
function tcpConnection(socket, host, opts) {
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 3e4);
  const transport = {
    kind: "tcp",
    remote: `${socket.remoteAddress}:${socket.remotePort}`,
    sendText(text) {
      const body = Buffer.from(text, "utf8");
      const head = Buffer.allocUnsafe(4);
      head.writeUInt32BE(body.length, 0);
      holdWrites(socket);
      socket.write(head);
      socket.write(body);
    },
    sendEncoded(e) {
      holdWrites(socket);
      socket.write(e.tcpFrame);
    },
    bufferedBytes: () => socket.writableLength,
    close() {
      socket.end();
      setTimeout(() => socket.destroy(), 2e3).unref();
    }
  };
  const conn = new Connection(transport, host);
  const decoder = new FrameDecoder(opts);
  socket.on("data", (chunk) => {
    gatewayMetrics.bytesIn.labels("tcp").inc(chunk.length);
    for (const ev of decoder.push(chunk)) {
      switch (ev.type) {
        case "frame":
          conn.onText(ev.text);
          break;
        case "empty":
          conn.onFrameError("bad_frame", "empty frame (length 0)", false);
          break;
        case "bad_utf8":
          conn.onFrameError("bad_frame", "frame is not valid UTF-8", false);
          break;
        case "too_large":
          conn.onFrameError("frame_too_large", `frame of ${ev.length} bytes exceeds the limit of ${opts.maxFrameBytes}${ev.fatal ? "; closing" : "; skipped"}`, ev.fatal);
          break;
      }
      if (!conn.isOpen) break;
    }
  });
  socket.on("error", () => {
  });
  socket.on("close", () => conn.onClosed());
  return conn;
}

// gateway/websocket.ts
function originAllowed(origin, host, allowed2) {
  if (origin === void 0) return true;
  if (allowed2.includes("*") || allowed2.includes(origin)) return true;
  try {
    const u = new URL(origin);
    return (u.protocol === "http:" || u.protocol === "https:") && host !== void 0 && u.host === host.toLowerCase();
  } catch {
    return false;
  }
}
var GatewayOrigins = class {
  constructor(max = 1e3) {
    this.max = max;
  }
  max;
  seen = /* @__PURE__ */ new Set();
  /** Records the http(s) base URLs of gateways. */
  note(httpUrls) {
    for (const url of httpUrls) {
      let origin;
      try {
        const u = new URL(url);
        if (u.protocol !== "http:" && u.protocol !== "https:") continue;
        origin = u.origin;
      } catch {
        continue;
      }
      this.seen.delete(origin);
      this.seen.add(origin);
      if (this.seen.size > this.max) this.seen.delete(this.seen.values().next().value);
    }
  }
  list() {
    return [...this.seen];
  }
};
function parseOrigins(setting) {
  return setting.split(",").map((o) => o.trim().replace(/\/+$/, "")).filter(Boolean);
}
var WebSocketEdge = class {
  constructor(host, opts, accept2) {
    this.host = host;
    this.opts = opts;
    this.accept = accept2;
    this.wss = new import_websocket_server.default({ noServer: true, maxPayload: opts.discardLimitBytes, perMessageDeflate: false, clientTracking: false });
  }
  host;
  opts;
  accept;
  wss;
  handleUpgrade(req, socket, head) {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, req, socket));
  }
  attach(ws, req, socket) {
    const transport = {
      kind: "ws",
      remote: `${req.socket.remoteAddress}:${req.socket.remotePort}`,
      sendText: (text) => {
        holdWrites(socket);
        ws.send(text);
      },
      // a server's frames are not masked: ws frames the shared bytes without copying them
      sendEncoded: (e) => {
        holdWrites(socket);
        ws.send(e.bytes, { binary: false });
      },
      bufferedBytes: () => ws.bufferedAmount,
      close() {
        ws.close(1e3);
        setTimeout(() => ws.terminate(), 2e3).unref();
      }
    };
    const conn = this.accept(() => new Connection(transport, this.host));
    if (!conn) return;
    ws.on("message", (data, isBinary) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      gatewayMetrics.bytesIn.labels("ws").inc(buf.length);
      if (isBinary) return conn.onFrameError("bad_frame", "binary messages are not accepted; send JSON text", false);
      if (buf.length > this.opts.maxFrameBytes) return conn.onFrameError("frame_too_large", `message of ${buf.length} bytes exceeds the limit of ${this.opts.maxFrameBytes}; skipped`, false);
      conn.onText(buf.toString("utf8"));
    });
    ws.on("error", () => {
    });
    ws.on("close", () => conn.onClosed());
  }
  close() {
    this.wss.close();
  }
};

// gateway/http.ts
var log4 = logger("http");
var statusOf2 = {
  bad_request: 400,
  bad_json: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  name_taken: 409,
  rate_limited: 429,
  timeout: 504,
  unavailable: 503,
  frame_too_large: 413,
  session_expired: 401,
  bad_credentials: 401
};
var HttpRoutes = class {
  routes = [];
  add(method, path6, handler) {
    const pattern = typeof path6 === "string" ? new RegExp(`^${path6.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) : path6;
    this.routes.push({ method, pattern, handler });
  }
  async handle(req, res) {
    let url;
    try {
      url = new URL(req.url ?? "/", "http://gateway");
    } catch {
      return send(res, 400, { error: { code: "bad_request", message: "bad URL" } });
    }
    let allowed2 = [];
    for (const r of this.routes) {
      const match = r.pattern.exec(url.pathname);
      if (!match) continue;
      if (r.method !== req.method && !(r.method === "GET" && req.method === "HEAD")) {
        allowed2.push(r.method);
        continue;
      }
      try {
        const out2 = await r.handler(req, url, match.slice(1));
        if (out2.body !== void 0) {
          res.writeHead(out2.status ?? 200, { ...out2.status === 304 ? {} : { "content-length": out2.body.length }, ...out2.headers });
          res.end(req.method === "HEAD" ? void 0 : out2.body);
        } else if (out2.text !== void 0) {
          res.writeHead(out2.status ?? 200, { "content-type": "text/plain; charset=utf-8", ...out2.headers });
          res.end(req.method === "HEAD" ? void 0 : out2.text);
        } else {
          send(res, out2.status ?? 200, out2.json ?? {}, out2.headers, req.method === "HEAD");
        }
      } catch (e) {
        const err = toWireError(e);
        if (err.code === "internal") log4.error({ err: e, path: url.pathname }, "HTTP handler failed");
        send(res, statusOf2[err.code] ?? 500, { error: err });
      }
      return;
    }
    allowed2 = [...new Set(allowed2)];
    if (allowed2.length) return send(res, 405, { error: { code: "bad_request", message: `use ${allowed2.join(" or ")}` } }, { allow: allowed2.join(", ") });
    send(res, 404, { error: { code: "not_found", message: `no route ${url.pathname}` } });
  }
};
function send(res, status, body, headers = {}, headOnly = false) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(headOnly ? void 0 : text);
}
async function readJson(req, limit = 64 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new TroupeError("frame_too_large", `request body over ${limit} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new TroupeError("bad_json", "the request body is not JSON");
  }
}
function metricsRoute() {
  return async () => {
    const { contentType, body } = await metricsText();
    return { text: body, headers: { "content-type": contentType } };
  };
}

// gateway/admin.ts
import { createHash as createHash3, randomUUID, timingSafeEqual as timingSafeEqual3 } from "node:crypto";

// gateway/handlers/chat.ts
import { randomBytes as randomBytes6 } from "node:crypto";
var me = (ctx) => ctx.conn.session.user;
var ask = (ctx, kind, id, body, key) => ctx.gw.actors.ask(kind, id, body, { timeoutMs: ctx.gw.requestTimeoutMs, key });
var svc = (ctx, name, body) => callService(ctx.gw.nc, name, body, ctx.gw.requestTimeoutMs);
function newRoomId() {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  return "g" + [...randomBytes6(12)].map((b) => alphabet[b & 31]).join("");
}
function directRoomId(a, b) {
  return a < b ? `d${a}-${b}` : `d${b}-${a}`;
}
var knownUsers = /* @__PURE__ */ new Map();
var KNOWN_USERS_MAX = 5e4;
async function lookUp(gw, ids) {
  const out2 = /* @__PURE__ */ new Map();
  const missing = [];
  for (const id of ids) {
    const name = knownUsers.get(id);
    if (name === void 0) missing.push(id);
    else {
      knownUsers.delete(id);
      knownUsers.set(id, name);
      out2.set(id, name);
    }
  }
  if (missing.length) {
    const { users: users2 } = await callService(gw.nc, "svc.users.get", { ids: missing }, gw.requestTimeoutMs);
    for (const u of users2) {
      out2.set(u.id, u.name);
      knownUsers.set(u.id, u.name);
    }
    while (knownUsers.size > KNOWN_USERS_MAX) knownUsers.delete(knownUsers.keys().next().value);
  }
  return out2;
}
async function userName(ctx, _op, id) {
  const name = (await lookUp(ctx.gw, [id])).get(id);
  if (name === void 0) throw new TroupeError("not_found", `no user ${id}`);
  return name;
}
function requireUsers(ctx, _op, ids) {
  return requireUsersExist(ctx.gw, ids);
}
async function requireUsersExist(gw, ids) {
  if (!ids.length) return;
  const known = await lookUp(gw, ids);
  const missing = ids.filter((i) => !known.has(i));
  if (missing.length) throw new TroupeError("not_found", `no such user: ${missing.join(", ")}`);
}
var chatHandlers = {
  async "users.find"(ctx, req) {
    return svc(ctx, "svc.users.find", { query: req.query, limit: req.limit ?? 20 });
  },
  async "users.get"(ctx, req) {
    const found = await lookUp(ctx.gw, [...new Set(req.ids)]);
    return { users: [...found].map(([id, name]) => ({ id, name })) };
  },
  async "friends.list"(ctx) {
    return svc(ctx, "svc.friends.list", { user: me(ctx).id });
  },
  async "friends.request"(ctx, req) {
    const toName = await userName(ctx, "friends.request", req.user);
    return ask(ctx, "user", String(me(ctx).id), { type: "friendRequest", to: req.user, toName, fromName: me(ctx).name });
  },
  async "friends.accept"(ctx, req) {
    return ask(ctx, "user", String(me(ctx).id), { type: "friendAccept", user: req.user });
  },
  async "friends.decline"(ctx, req) {
    return ask(ctx, "user", String(me(ctx).id), { type: "friendDecline", user: req.user });
  },
  async "friends.remove"(ctx, req) {
    return ask(ctx, "user", String(me(ctx).id), { type: "friendRemove", user: req.user });
  },
  async "friends.block"(ctx, req) {
    const name = await userName(ctx, "friends.block", req.user);
    return ask(ctx, "user", String(me(ctx).id), { type: "block", user: req.user, name });
  },
  async "friends.unblock"(ctx, req) {
    return ask(ctx, "user", String(me(ctx).id), { type: "unblock", user: req.user });
  },
  async "rooms.create"(ctx, req) {
    const invite2 = [...new Set(req.members ?? [])].filter((u) => u !== me(ctx).id);
    await requireUsers(ctx, "rooms.create", invite2);
    return ask(ctx, "room", newRoomId(), { type: "create", by: me(ctx).id, name: req.name, description: req.description ?? "", open: req.open ?? false, invite: invite2 });
  },
  async "rooms.join"(ctx, req) {
    return ask(ctx, "room", req.room, { type: "join", user: me(ctx).id });
  },
  async "rooms.invite"(ctx, req) {
    await requireUsers(ctx, "rooms.invite", [req.user]);
    return ask(ctx, "room", req.room, { type: "invite", by: me(ctx).id, user: req.user });
  },
  async "rooms.leave"(ctx, req) {
    return ask(ctx, "room", req.room, { type: "leave", user: me(ctx).id });
  },
  async "rooms.kick"(ctx, req) {
    return ask(ctx, "room", req.room, { type: "kick", by: me(ctx).id, user: req.user });
  },
  async "rooms.update"(ctx, req) {
    if (req.name === void 0 && req.description === void 0 && req.open === void 0) throw refusal("rooms.update", "bad_request", "change at least one of name, description, open");
    return ask(ctx, "room", req.room, { type: "update", by: me(ctx).id, ...req.name !== void 0 ? { name: req.name } : {}, ...req.description !== void 0 ? { description: req.description } : {}, ...req.open !== void 0 ? { open: req.open } : {} });
  },
  async "rooms.role"(ctx, req) {
    return ask(ctx, "room", req.room, { type: "role", by: me(ctx).id, user: req.user, role: req.role });
  },
  async "rooms.members"(ctx, req) {
    return svc(ctx, "svc.chat.members", { user: me(ctx).id, room: req.room });
  },
  async "rooms.list"(ctx, req) {
    return svc(ctx, "svc.chat.conversations", { user: me(ctx).id, limit: req.limit ?? 100 });
  },
  async "rooms.discover"(ctx, req) {
    return svc(ctx, "svc.chat.discover", { user: me(ctx).id, query: req.query ?? "", limit: req.limit ?? 50 });
  },
  async "chat.send"(ctx, req) {
    if (req.room === void 0 === (req.to === void 0)) throw refusal("chat.send", "bad_request", "give exactly one of room and to");
    const uid = me(ctx).id;
    let rid = req.room;
    if (req.to !== void 0) {
      if (req.to === uid) throw refusal("chat.send", "bad_request", "you cannot message yourself");
      await requireUsers(ctx, "chat.send", [req.to]);
      rid = directRoomId(uid, req.to);
    }
    if (req.file) await svc(ctx, "svc.files.stat", { user: uid, id: req.file });
    return ask(ctx, "room", rid, { type: "post", from: uid, body: req.body, clientMsgId: req.clientMsgId, origin: ctx.conn.key, ...req.file ? { file: req.file } : {} }, `post:${rid}:${uid}:${req.clientMsgId}`);
  },
  async "chat.file"(ctx, req) {
    const entry = await svc(ctx, "svc.chat.entry", { user: me(ctx).id, room: req.room, seq: req.seq });
    if (!entry.file || entry.recalled) throw refusal("chat.file", "not_found", "this entry references no file");
    const grant = await svc(ctx, "svc.files.link", { fileId: entry.file, forUser: me(ctx).id, grant: `room:${req.room}` });
    return { url: grant.urls[0], urls: grant.urls, expiresAt: grant.expiresAt, file: grant.file };
  },
  // authorship and recalled state are the room actor's to decide, from its own rows
  async "chat.edit"(ctx, req) {
    return ask(ctx, "room", req.room, { type: "edit", by: me(ctx).id, target: req.seq, body: req.body, origin: ctx.conn.key });
  },
  async "chat.recall"(ctx, req) {
    return ask(ctx, "room", req.room, { type: "recall", by: me(ctx).id, target: req.seq, origin: ctx.conn.key }, `recall:${req.room}:${req.seq}:${me(ctx).id}`);
  },
  async "chat.typing"(ctx, req) {
    return svc(ctx, "svc.chat.typing", { user: me(ctx).id, room: req.room, origin: ctx.conn.key });
  },
  async "chat.history"(ctx, req) {
    return svc(ctx, "svc.chat.history", { user: me(ctx).id, room: req.room, ...req.before !== void 0 ? { before: req.before } : {}, limit: req.limit ?? 50 });
  },
  async "chat.sync"(ctx, req) {
    return svc(ctx, "svc.chat.sync", { user: me(ctx).id, rooms: req.rooms ?? {}, limit: req.limit ?? 100 });
  },
  async "chat.delivered"(ctx, req) {
    await svc(ctx, "svc.chat.cursor", { user: me(ctx).id, room: req.room, seq: req.seq, cursor: "delivered" });
    return {};
  },
  async "chat.read"(ctx, req) {
    const r = await svc(ctx, "svc.chat.cursor", { user: me(ctx).id, room: req.room, seq: req.seq, cursor: "read", origin: ctx.conn.key });
    return { readSeq: r.readSeq, unread: r.unread };
  }
};

// gateway/admin.ts
var digest = (s) => createHash3("sha256").update(s).digest();
function authorize2(req, token) {
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  if (!given || !timingSafeEqual3(digest(given), digest(token))) throw new TroupeError("unauthenticated", "admin API: send Authorization: Bearer <TROUPE_ADMIN_TOKEN>");
}
function adminRoutes(routes, links, token) {
  const guarded = (handler) => async (req, url) => {
    authorize2(req, token);
    return { json: await handler(req, url) };
  };
  routes.add("POST", "/api/admin/messages", guarded(async (req) => {
    const body = validate(AdminMessage, await readJson(req), "bad_request", "message");
    if (body.to === void 0 === (body.room === void 0)) throw new TroupeError("bad_request", "give exactly one of to and room");
    const gw = links();
    if (body.to !== void 0) await requireUsersExist(gw, [body.to]);
    const rid = body.to !== void 0 ? `d0-${body.to}` : body.room;
    const clientMsgId = body.clientMsgId ?? randomUUID();
    return gw.actors.ask("room", rid, { type: "post", from: 0, body: body.body, clientMsgId }, { key: `admin:${rid}:${clientMsgId}`, timeoutMs: gw.requestTimeoutMs });
  }));
  routes.add("POST", "/api/admin/rooms", guarded(async (req) => {
    const body = validate(AdminRoom, await readJson(req), "bad_request", "room");
    const gw = links();
    const invite2 = [...new Set(body.members ?? [])].filter((u) => u !== body.owner);
    await requireUsersExist(gw, [body.owner, ...invite2]);
    return gw.actors.ask("room", newRoomId(), { type: "create", by: body.owner, name: body.name, description: body.description ?? "", open: body.open ?? false, invite: invite2 }, { timeoutMs: gw.requestTimeoutMs });
  }));
  routes.add("POST", "/api/admin/library", guarded(async (req) => {
    const body = validate(AdminLibraryItem, await readJson(req), "bad_request", "library item");
    return callService(links().nc, "svc.library.publish", body, links().requestTimeoutMs);
  }));
  routes.add("DELETE", /^\/api\/admin\/library\/([^/]+)$/, guarded(async (_req, url) => {
    const file = decodeURIComponent(url.pathname.slice("/api/admin/library/".length));
    if (!isValid(FileId, file)) throw new TroupeError("bad_request", `not a file id: ${file}`);
    return callService(links().nc, "svc.library.unpublish", { file }, links().requestTimeoutMs);
  }));
  routes.add("GET", "/api/admin/library", guarded(async (_req, url) => {
    const limit = Number(url.searchParams.get("limit") ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new TroupeError("bad_request", "limit: a whole number from 1 to 200");
    const query = url.searchParams.get("query") ?? "";
    const cursor = url.searchParams.get("cursor") ?? void 0;
    if (query.length > 100 || (cursor?.length ?? 0) > 1200) throw new TroupeError("bad_request", "query (100) or cursor (1200 characters) too long");
    return callService(links().nc, "svc.library.list", { query, limit, ...cursor ? { cursor } : {} }, links().requestTimeoutMs);
  }));
  routes.add("GET", "/api/admin/online", guarded(async (_req, url) => {
    const limit = Number(url.searchParams.get("limit") ?? 100);
    const after = Number(url.searchParams.get("after") ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1e3) throw new TroupeError("bad_request", "limit: a whole number from 1 to 1000");
    if (!Number.isInteger(after) || after < 0) throw new TroupeError("bad_request", "after: a user id");
    const { users: users2 } = await callService(links().nc, "svc.presence.online", { after, limit }, links().requestTimeoutMs);
    return { users: users2, ...users2.length === limit ? { next: users2[users2.length - 1].user.id } : {} };
  }));
}

// gateway/events.ts
var dec = new TextDecoder();
function subscribeJson(nc, subject, log10, deliver) {
  return nc.subscribe(subject, {
    callback: (err, msg) => {
      if (err) return;
      let event;
      try {
        event = JSON.parse(dec.decode(msg.data));
      } catch {
        log10.warn({ subject }, "malformed event dropped");
        return;
      }
      deliver(event);
    }
  });
}

// gateway/rooms.ts
var log5 = logger("rooms");
var RoomRouter = class {
  constructor(nc, deliver) {
    this.nc = nc;
    this.deliver = deliver;
  }
  nc;
  deliver;
  rooms = /* @__PURE__ */ new Map();
  ofUser = /* @__PURE__ */ new Map();
  get subscriptions() {
    return this.rooms.size;
  }
  /** Group rooms get a room subscription; direct rooms are pushed per user and need none. */
  add(user, rid) {
    if (!rid.startsWith("g")) return;
    let mine = this.ofUser.get(user);
    if (!mine) this.ofUser.set(user, mine = /* @__PURE__ */ new Set());
    mine.add(rid);
    let room = this.rooms.get(rid);
    if (!room) {
      const sub = subscribeJson(this.nc, subjects.roomEvents(rid), log5, (event) => {
        const r = this.rooms.get(rid);
        if (r) this.deliver(r.users, event);
      });
      room = { sub, users: /* @__PURE__ */ new Set() };
      this.rooms.set(rid, room);
    }
    room.users.add(user);
  }
  remove(user, rid) {
    this.ofUser.get(user)?.delete(rid);
    const room = this.rooms.get(rid);
    if (!room) return;
    room.users.delete(user);
    if (room.users.size === 0) {
      room.sub.unsubscribe();
      this.rooms.delete(rid);
    }
  }
  /** The user's last connection here went away. */
  forget(user) {
    for (const rid of [...this.ofUser.get(user) ?? []]) this.remove(user, rid);
    this.ofUser.delete(user);
  }
  /** Whether the user is known here as a member (a join may race the first room events). */
  has(user, rid) {
    return this.ofUser.get(user)?.has(rid) ?? false;
  }
  clear() {
    for (const r of this.rooms.values()) r.sub.unsubscribe();
    this.rooms.clear();
    this.ofUser.clear();
  }
};

// gateway/watchers.ts
var log6 = logger("watchers");
var WatchRouter = class {
  /** `gone`: a watching connection went away without watch.leave (tell the watch actor). */
  constructor(nc, gone) {
    this.nc = nc;
    this.gone = gone;
  }
  nc;
  gone;
  rooms = /* @__PURE__ */ new Map();
  ofConn = /* @__PURE__ */ new Map();
  get subscriptions() {
    return this.rooms.size;
  }
  /** The connection watches the room (subscribed before the join is asked, so no push is missed). */
  add(conn, rid) {
    let mine = this.ofConn.get(conn);
    if (!mine) this.ofConn.set(conn, mine = /* @__PURE__ */ new Set());
    mine.add(rid);
    let room = this.rooms.get(rid);
    if (!room) {
      const sub = subscribeJson(this.nc, subjects.watchEvents(rid), log6, (event) => {
        const { op, ...body } = event.push;
        for (const c of this.rooms.get(rid)?.conns ?? []) c.push(op, body);
      });
      room = { sub, conns: /* @__PURE__ */ new Set() };
      this.rooms.set(rid, room);
    }
    room.conns.add(conn);
  }
  has(conn, rid) {
    return this.ofConn.get(conn)?.has(rid) ?? false;
  }
  remove(conn, rid) {
    const mine = this.ofConn.get(conn);
    mine?.delete(rid);
    if (mine?.size === 0) this.ofConn.delete(conn);
    const room = this.rooms.get(rid);
    if (!room) return;
    room.conns.delete(conn);
    if (room.conns.size === 0) {
      room.sub.unsubscribe();
      this.rooms.delete(rid);
    }
  }
  /** The watch actor dropped this user's viewers of the room (removed from the room). */
  removeUser(user, rid) {
    for (const c of [...this.rooms.get(rid)?.conns ?? []]) if (c.session?.user.id === user) this.remove(c, rid);
  }
  /** The connection closed or logged out: it watches nothing any more. */
  forget(conn) {
    for (const rid of [...this.ofConn.get(conn) ?? []]) {
      this.remove(conn, rid);
      this.gone(conn, rid);
    }
  }
  clear() {
    for (const r of this.rooms.values()) r.sub.unsubscribe();
    this.rooms.clear();
    this.ofConn.clear();
  }
};

// gateway/sessions.ts
var dec2 = new TextDecoder();
var log7 = logger("sessions");
var SessionHub = class {
  /** `watchGone`: a connection watching a room closed or logged out (the watch actor must hear it). */
  constructor(nc, watchGone = () => {
  }) {
    this.nc = nc;
    this.rooms = new RoomRouter(nc, (users2, event) => this.deliverRoom(users2, event));
    this.watch = new WatchRouter(nc, watchGone);
  }
  nc;
  byUser = /* @__PURE__ */ new Map();
  listeners = [];
  rooms;
  watch;
  /** A room event to the connections of the given users: serialized once, the same bytes to each. */
  deliverRoom(users2, event) {
    const { op, ...body } = event.push;
    let encoded;
    const sent = { tcp: 0, ws: 0 };
    for (const uid of users2) {
      const entry = this.byUser.get(uid);
      if (!entry) continue;
      for (const conn of entry.conns) {
        if (event.except !== void 0 && conn.key === event.except) continue;
        encoded ??= Encoded.of(pushEnvelope(op, body));
        if (conn.pushEncoded(encoded)) sent[conn.transport.kind]++;
      }
    }
    if (sent.tcp + sent.ws === 0) return;
    gatewayMetrics.pushes.labels(op).inc(sent.tcp + sent.ws);
    if (sent.tcp) gatewayMetrics.framesOut.labels("tcp").inc(sent.tcp);
    if (sent.ws) gatewayMetrics.framesOut.labels("ws").inc(sent.ws);
  }
  on(listener) {
    this.listeners.push(listener);
  }
  get userCount() {
    return this.byUser.size;
  }
  connectionsOf(userId) {
    return this.byUser.get(userId)?.conns ?? /* @__PURE__ */ new Set();
  }
  users() {
    return this.byUser.keys();
  }
  attach(conn, session) {
    conn.session = session;
    conn.logins++;
    let entry = this.byUser.get(session.user.id);
    const first = !entry;
    if (!entry) {
      const sub = this.nc.subscribe(subjects.userEvents(session.user.id), { callback: (err, msg) => {
        if (err) return;
        this.deliver(session.user.id, msg.data);
      } });
      entry = { conns: /* @__PURE__ */ new Set(), sub };
      this.byUser.set(session.user.id, entry);
    }
    entry.conns.add(conn);
    for (const l of this.listeners) l.loggedIn?.(conn, session, first);
  }
  detach(conn, reason) {
    const session = conn.session;
    if (!session) return;
    conn.session = void 0;
    this.watch.forget(conn);
    const entry = this.byUser.get(session.user.id);
    if (!entry) return;
    entry.conns.delete(conn);
    const last = entry.conns.size === 0;
    if (last) {
      entry.sub.unsubscribe();
      this.byUser.delete(session.user.id);
      this.rooms.forget(session.user.id);
    }
    for (const l of this.listeners) l.loggedOut?.(conn, session, last, reason);
  }
  deliver(userId, data) {
    let event;
    try {
      event = JSON.parse(dec2.decode(data));
    } catch (e) {
      log7.warn({ err: e.message, userId }, "malformed user event dropped");
      return;
    }
    const entry = this.byUser.get(userId);
    if (!entry) return;
    for (const rid of event.rooms?.join ?? []) this.rooms.add(userId, rid);
    for (const rid of event.rooms?.leave ?? []) this.rooms.remove(userId, rid);
    for (const rid of event.watch?.leave ?? []) this.watch.removeUser(userId, rid);
    let encoded;
    for (const conn of [...entry.conns]) {
      if (event.only !== void 0 && conn.key !== event.only) continue;
      if (event.except !== void 0 && conn.key === event.except) continue;
      if (event.push) {
        const { op, ...body } = event.push;
        encoded ??= Encoded.of(pushEnvelope(op, body));
        if (conn.pushEncoded(encoded)) {
          gatewayMetrics.pushes.labels(op).inc();
          gatewayMetrics.framesOut.labels(conn.transport.kind).inc();
        }
      }
      if (event.close && event.close.conn === conn.key) conn.fail(event.close.code, event.close.message);
    }
  }
  /** Unsubscribes everything (gateway shutdown). */
  clear() {
    for (const entry of this.byUser.values()) entry.sub.unsubscribe();
    this.byUser.clear();
    this.rooms.clear();
    this.watch.clear();
  }
};

// gateway/handlers/auth.ts
async function logIn(conn, gw, grant) {
  if (conn.session || conn.loggingIn) throw new TroupeError("already_authenticated");
  conn.loggingIn = true;
  try {
    const session = await grant();
    if (conn.isOpen) {
      gw.sessions.attach(conn, session);
      await gw.nc.flush();
    }
    return { token: session.token, user: session.user, expiresAt: session.expiresAt };
  } finally {
    conn.loggingIn = false;
  }
}
var authHandlers = {
  async "auth.register"({ gw }, req) {
    return callService(gw.nc, "svc.auth.register", req, gw.requestTimeoutMs);
  },
  async "auth.login"({ conn, gw }, req) {
    return logIn(conn, gw, () => callService(gw.nc, "svc.auth.login", { name: req.name, password: req.password, device: req.device ?? { type: "cli" }, gateway: gw.nodeId }, gw.requestTimeoutMs));
  },
  async "auth.resume"({ conn, gw }, req) {
    return logIn(conn, gw, () => callService(gw.nc, "svc.auth.resume", { token: req.token, device: req.device, gateway: gw.nodeId }, gw.requestTimeoutMs));
  },
  async "auth.logout"({ conn, gw }) {
    const session = conn.session;
    if (!session) throw new TroupeError("unauthenticated");
    await callService(gw.nc, "svc.auth.logout", { sessionId: session.sessionId }, gw.requestTimeoutMs);
    gw.sessions.detach(conn, "logout");
    conn.loginDeadline = Date.now() + gw.loginTimeoutMs;
    return {};
  },
  async ping(_ctx, req) {
    return { t: req.t, now: Date.now() };
  },
  async "gateways.list"(ctx) {
    return { gateways: await ctx.gw.gateways() };
  }
};

// gateway/handlers/presence.ts
var presenceHandlers = {
  async "presence.query"({ gw }, req) {
    return callService(gw.nc, "svc.presence.query", { users: req.users }, gw.requestTimeoutMs);
  }
};

// gateway/handlers/files.ts
function userOf(conn) {
  if (!conn.session) throw new TroupeError("unauthenticated");
  return conn.session.user.id;
}
var fileHandlers = {
  async "files.upload"({ conn, gw }, req) {
    return callService(gw.nc, "svc.files.upload", { user: userOf(conn), ...req }, gw.requestTimeoutMs);
  },
  async "files.download"({ conn, gw }, req) {
    return callService(gw.nc, "svc.files.download", { user: userOf(conn), id: req.id }, gw.requestTimeoutMs);
  },
  async "files.delete"({ conn, gw }, req) {
    return callService(gw.nc, "svc.files.delete", { user: userOf(conn), id: req.id }, gw.requestTimeoutMs);
  },
  async "files.list"({ conn, gw }, req) {
    return callService(gw.nc, "svc.files.list", { user: userOf(conn), ...req }, gw.requestTimeoutMs);
  },
  async "files.stat"({ conn, gw }, req) {
    return callService(gw.nc, "svc.files.stat", { user: userOf(conn), id: req.id }, gw.requestTimeoutMs);
  },
  async "storage.groups"({ gw }) {
    return gw.actors.query("tracker", TRACKER_ID, { type: "groups" }, { timeoutMs: gw.requestTimeoutMs });
  }
};

// gateway/handlers/watch.ts
var me2 = (ctx) => ctx.conn.session.user;
var ask2 = (ctx, rid, body) => ctx.gw.actors.ask("watch", rid, body, { timeoutMs: ctx.gw.requestTimeoutMs });
var svc2 = (ctx, name, body) => callService(ctx.gw.nc, name, body, ctx.gw.requestTimeoutMs);
async function askAsMember(ctx, rid, body) {
  try {
    return await ask2(ctx, rid, body);
  } catch (e) {
    if (!(e instanceof TroupeError) || e.code !== "not_found") throw e;
  }
  await ctx.gw.actors.ask("room", rid, { type: "watchRoster", user: me2(ctx).id }, { timeoutMs: ctx.gw.requestTimeoutMs });
  const deadline = Date.now() + ctx.gw.requestTimeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    try {
      return await ask2(ctx, rid, body);
    } catch (e) {
      if (!(e instanceof TroupeError) || e.code !== "not_found" || Date.now() + delay > deadline) throw e;
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}
var watchHandlers = {
  async "watch.join"(ctx, req) {
    const { conn, gw } = ctx;
    const watching = gw.sessions.watch.has(conn, req.room);
    gw.sessions.watch.add(conn, req.room);
    await gw.nc.flush();
    try {
      return await askAsMember(ctx, req.room, { type: "join", user: me2(ctx).id, name: me2(ctx).name, conn: conn.key, gateway: gw.instance });
    } catch (e) {
      if (!watching) gw.sessions.watch.remove(conn, req.room);
      throw e;
    }
  },
  async "watch.leave"(ctx, req) {
    ctx.gw.sessions.watch.remove(ctx.conn, req.room);
    await ask2(ctx, req.room, { type: "leave", conn: ctx.conn.key });
    return {};
  },
  async "watch.state"(ctx, req) {
    return askAsMember(ctx, req.room, { type: "state", user: me2(ctx).id });
  },
  async "watch.load"(ctx, req) {
    if (req.library === void 0 === (req.entry === void 0)) throw refusal("watch.load", "bad_request", "give exactly one of library and entry");
    const { media, location: location2 } = await svc2(ctx, "svc.library.media", { user: me2(ctx).id, room: req.room, ...req.library ? { library: req.library } : {}, ...req.entry !== void 0 ? { entry: req.entry } : {} });
    const known = media.durationMs || req.durationMs || 0;
    return ask2(ctx, req.room, { type: "load", by: me2(ctx).id, epoch: req.epoch, media: { ...media, durationMs: known }, location: location2 });
  },
  async "watch.play"(ctx, req) {
    return ask2(ctx, req.room, { type: "play", by: me2(ctx).id, epoch: req.epoch });
  },
  async "watch.pause"(ctx, req) {
    return ask2(ctx, req.room, { type: "pause", by: me2(ctx).id, epoch: req.epoch });
  },
  async "watch.seek"(ctx, req) {
    return ask2(ctx, req.room, { type: "seek", by: me2(ctx).id, epoch: req.epoch, position: req.position });
  },
  async "watch.rate"(ctx, req) {
    return ask2(ctx, req.room, { type: "rate", by: me2(ctx).id, epoch: req.epoch, rate: req.rate });
  },
  async "watch.ready"(ctx, req) {
    await ask2(ctx, req.room, { type: "ready", user: me2(ctx).id, conn: ctx.conn.key, epoch: req.epoch, ...req.rttMs !== void 0 ? { rttMs: req.rttMs } : {} });
    return {};
  },
  async "watch.stall"(ctx, req) {
    await ask2(ctx, req.room, { type: "stall", user: me2(ctx).id, conn: ctx.conn.key, epoch: req.epoch });
    return {};
  },
  async "watch.report"(ctx, req) {
    if (!ctx.gw.sessions.watch.has(ctx.conn, req.room)) throw refusal("watch.report", "forbidden", "this connection is not watching the room (watch.join first)");
    await svc2(ctx, "svc.watch.report", { user: me2(ctx).id, room: req.room, viewer: ctx.conn.key, position: req.position, driftMs: req.driftMs, status: req.status });
    return {};
  },
  async "watch.source"(ctx, req) {
    const s = await ask2(ctx, req.room, { type: "source", user: me2(ctx).id, conn: ctx.conn.key });
    try {
      return await svc2(ctx, "svc.files.stream", { fileId: s.file, forUser: me2(ctx).id, room: req.room, viewer: ctx.conn.key, version: s.version, ...req.avoid ? { avoid: req.avoid } : {} });
    } catch (e) {
      if (e instanceof TroupeError && e.code === "not_found") throw refusal("watch.source", "forbidden", `this connection no longer watches the room, or its movie is gone: ${e.message}`);
      throw e;
    }
  },
  async "watch.settings"(ctx, req) {
    if (req.control === void 0 && req.pauseForStalls === void 0) throw refusal("watch.settings", "bad_request", "change at least one of control, pauseForStalls");
    return askAsMember(ctx, req.room, { type: "settings", by: me2(ctx).id, ...req.control ? { control: req.control } : {}, ...req.pauseForStalls !== void 0 ? { pauseForStalls: req.pauseForStalls } : {} });
  },
  async "library.list"(ctx, req) {
    return svc2(ctx, "svc.library.list", { query: req.query ?? "", ...req.cursor ? { cursor: req.cursor } : {}, limit: req.limit ?? 50 });
  }
};

// gateway/handlers/mod.ts
var handlers = {
  ...authHandlers,
  ...presenceHandlers,
  ...fileHandlers,
  ...chatHandlers,
  ...watchHandlers
};

// gateway/drain.ts
var gatewayPhases = setup({
  types: {
    context: {},
    input: {},
    events: {},
    emitted: {}
  },
  delays: { grace: ({ context }) => context.graceMs },
  guards: { nobodyLeft: ({ event }) => event.type === "connections" && event.count === 0 }
}).createMachine({
  id: "gateway",
  context: ({ input }) => ({ graceMs: input.graceMs }),
  initial: "serving",
  states: {
    serving: {
      on: {
        drain: [
          // nobody to tell: stop at once
          { guard: ({ event }) => event.connections === 0, target: "stopped" },
          {
            target: "draining",
            actions: [
              emit({ type: "stopAccepting" }),
              // clients spread their reconnects over the first half of the grace period, so
              // thousands of them do not land on the other gateways in the same instant
              emit(({ context, event }) => ({ type: "announce", reason: event.reason, closeInMs: context.graceMs, retryAfterMs: Math.floor(context.graceMs / 2) }))
            ]
          }
        ],
        stop: "stopped"
      }
    },
    draining: {
      after: { grace: "stopped" },
      on: {
        connections: { guard: "nobodyLeft", target: "stopped" },
        stop: "stopped"
      }
    },
    stopped: {
      type: "final",
      entry: [emit({ type: "stopAccepting" }), emit({ type: "closeAll" })]
    }
  }
});

// gateway/server.ts
var log8 = logger("gateway");
var Gateway = class {
  constructor(opts) {
    this.opts = opts;
    const c = opts.config;
    this.limits = {
      rateBurst: c.rateBurst,
      ratePerSecond: c.ratePerSecond,
      maxInFlight: c.maxInFlight,
      loginTimeoutMs: c.loginTimeoutMs,
      idleTimeoutMs: c.idleTimeoutMs,
      maxBufferedBytes: c.maxBufferedBytes
    };
    this.sessions = new SessionHub(opts.nc, (conn, rid) => {
      this.actors?.send("watch", rid, { type: "leave", conn: conn.key }, { key: `${conn.key}#${conn.logins}:watch-leave:${rid}` }).catch((e) => log8.warn({ err: e.message, rid }, "watch leave report failed"));
    });
    this.instance = `${opts.nodeId}@${Date.now().toString(36)}`;
    this.phase = createActor(gatewayPhases, { input: { graceMs: c.drainGraceMs } });
    this.phase.on("*", (effect) => this.perform(effect));
    this.phase.start();
    this.routes.add("GET", "/healthz", async () => ({
      status: this.serving ? 200 : 503,
      json: { ok: this.serving && !this.opts.nc.isClosed(), id: this.opts.nodeId, connections: this.connections.size, ...this.serving ? {} : { draining: true } }
    }));
    this.routes.add("GET", "/metrics", metricsRoute());
    this.routes.add("GET", "/api/gateways", async () => ({ json: { gateways: await this.liveGateways() } }));
    if (c.adminToken) adminRoutes(this.routes, () => this.links, c.adminToken);
    webClientRoutes(this.routes, {
      storageOrigins: () => (this.directory?.list("storage") ?? []).map((n) => String(n.url ?? "")),
      gatewayWsUrls: () => (this.directory?.list("gateway") ?? []).filter((n) => !n.draining).map((n) => String(n.ws ?? ""))
    });
  }
  opts;
  connections = /* @__PURE__ */ new Set();
  sessions;
  routes = new HttpRoutes();
  limits;
  links;
  instance;
  actors;
  tcpServer;
  httpServer;
  ws;
  registration;
  sweep;
  directory;
  /** serving, draining or stopped (drain.ts); it emits what to do. */
  phase;
  tcpPort = 0;
  gatewayOrigins = new GatewayOrigins();
  httpPort = 0;
  get id() {
    return this.opts.nodeId;
  }
  dispatch(conn, op, fields) {
    const handler = handlers[op];
    return handler({ conn, gw: this.links }, fields);
  }
  closed(conn) {
    if (!this.connections.delete(conn)) return;
    gatewayMetrics.connections.labels(conn.transport.kind).dec();
    this.sessions.detach(conn, "disconnect");
    if (this.phase.getSnapshot().status === "active") this.phase.send({ type: "connections", count: this.connections.size });
  }
  /** Accepting new connections (not draining or stopped). */
  get serving() {
    return this.phase.getSnapshot().value === "serving";
  }
  /** Admits a new connection, or refuses it when the gateway is full or going away. */
  admit(make) {
    const conn = make();
    if (!this.serving || this.connections.size >= this.opts.config.maxConnections) {
      conn.fail(!this.serving ? "unavailable" : "too_many_connections", !this.serving ? "the gateway is shutting down; connect to another" : `this gateway holds its maximum of ${this.opts.config.maxConnections} connections`);
      return null;
    }
    conn.key = `${this.instance}/${conn.id}`;
    this.connections.add(conn);
    gatewayMetrics.accepted.labels(conn.transport.kind).inc();
    gatewayMetrics.connections.labels(conn.transport.kind).inc();
    return conn;
  }
  /** Tells the user actor about every login and every goodbye on this gateway. */
  presenceReports() {
    const report = (uid, body, key) => {
      this.actors.send("user", String(uid), body, { key }).catch((e) => log8.warn({ err: e.message, uid }, "presence report failed"));
    };
    return {
      loggedIn: (conn, session, first) => {
        report(session.user.id, { type: "connect", conn: conn.key, gateway: this.instance, session: session.sessionId, device: session.device, name: session.user.name }, `${conn.key}#${conn.logins}:connect`);
        if (first) {
          callService(this.opts.nc, "svc.chat.rooms", { user: session.user.id }, this.opts.config.requestTimeoutMs).then(
            ({ rooms: rooms2 }) => {
              if (this.sessions.connectionsOf(session.user.id).size) for (const rid of rooms2) this.sessions.rooms.add(session.user.id, rid);
            },
            (e) => log8.warn({ err: e.message, uid: session.user.id }, "could not load the user's rooms")
          );
        }
      },
      loggedOut: (conn, session) => {
        report(session.user.id, { type: "disconnect", conn: conn.key }, `${conn.key}#${conn.logins}:disconnect`);
      }
    };
  }
  /** Live gateways that take clients (not draining ones, nor this one while it drains), least-loaded first. */
  async liveGateways() {
    const nodes = (this.directory?.list("gateway") ?? []).filter((n) => !n.draining && (this.serving || n.id !== this.opts.nodeId));
    return nodes.map((n) => ({ id: n.id, load: n.load, connections: n.connections, tcp: String(n.tcp), ws: String(n.ws), http: String(n.http) }));
  }
  /** What the phase machine says to do. */
  perform(effect) {
    switch (effect.type) {
      case "stopAccepting":
        if (this.tcpServer?.listening) this.tcpServer.close();
        void this.registration?.beat();
        break;
      case "announce": {
        void this.links.gateways().then((gateways) => {
          for (const conn of this.connections) conn.push("gateway.draining", { reason: effect.reason, closeInMs: effect.closeInMs, retryAfterMs: effect.retryAfterMs, gateways });
          const n = this.connections.size;
          log8.info({ connections: n, graceMs: effect.closeInMs, others: gateways.length }, `draining: ${n} connection${n === 1 ? "" : "s"} told to move; what is left closes in ${effect.closeInMs / 1e3} s (a second signal stops at once)`);
        });
        break;
      }
      case "closeAll":
        for (const conn of [...this.connections]) conn.fail("unavailable", "the gateway is shutting down; reconnect to another");
        break;
    }
  }
  /**
   * Drains (SIGTERM): refuses new connections, leaves /api/gateways, pushes gateway.draining to
   * every client and resolves once they have all gone or the grace period closed the rest.
   */
  async drain(reason = "shutdown") {
    if (this.phase.getSnapshot().status === "active") this.phase.send({ type: "drain", reason, connections: this.connections.size });
    await waitFor(this.phase, (s) => s.status === "done", { timeout: Infinity });
  }
  async start() {
    const c = this.opts.config;
    const nodesKv = await openKv(this.opts.nc, buckets.nodes);
    this.directory = await NodeDirectory.open(nodesKv);
    this.registration = new NodeRegistration(nodesKv, "gateway", this.opts.nodeId, () => ({
      ...this.serving ? {} : { draining: true },
      load: this.connections.size,
      connections: this.connections.size,
      users: this.sessions.userCount,
      instance: this.instance,
      tcp: `${c.publicHost}:${this.tcpPort}`,
      ws: `ws://${c.publicHost}:${this.httpPort}/ws`,
      http: `http://${c.publicHost}:${this.httpPort}`
    }));
    await this.registration.start();
    this.actors = natsActorClient(this.opts.nc, await readPartitionCount(this.opts.nc), `gateway.${this.opts.nodeId}`);
    this.links = {
      nc: this.opts.nc,
      nodeId: this.opts.nodeId,
      instance: this.instance,
      sessions: this.sessions,
      actors: this.actors,
      requestTimeoutMs: c.requestTimeoutMs,
      loginTimeoutMs: c.loginTimeoutMs,
      gateways: async () => (await this.liveGateways()).map(({ id, load: load2, tcp, ws, http: h }) => ({ id, load: load2, tcp, ws, http: h }))
    };
    this.sessions.on(this.presenceReports());
    const tcpOpts = { maxFrameBytes: c.maxFrameBytes, discardLimitBytes: c.discardLimitBytes };
    this.tcpServer = net.createServer((socket) => {
      this.admit(() => tcpConnection(socket, this, tcpOpts));
    });
    this.tcpServer.maxConnections = c.maxConnections + 64;
    this.ws = new WebSocketEdge(this, tcpOpts, (make) => this.admit(make));
    this.httpServer = http3.createServer((req, res) => void this.routes.handle(req, res));
    const wsOrigins = parseOrigins(c.wsOrigins);
    this.httpServer.on("upgrade", (req, socket, head) => {
      if ((req.url ?? "").split("?")[0] !== "/ws") {
        socket.end("HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n");
        return;
      }
      if (!this.serving) {
        socket.end("HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-type: text/plain\r\n\r\nthe gateway is shutting down; connect to another (/api/gateways)\n");
        return;
      }
      this.gatewayOrigins.note((this.directory?.list("gateway") ?? []).map((n) => String(n.http ?? "")));
      if (!originAllowed(req.headers.origin, req.headers.host, [...wsOrigins, ...this.gatewayOrigins.list()])) {
        gatewayMetrics.refusedOrigins.inc();
        socket.end("HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nthis origin may not open /ws (see --ws-origins)\n");
        return;
      }
      this.ws.handleUpgrade(req, socket, head);
    });
    this.tcpPort = await listen(this.tcpServer, c.tcpPort, c.bind);
    this.httpPort = await listen(this.httpServer, c.httpPort, c.bind);
    const sweepEvery = Math.max(50, Math.min(1e3, Math.floor(Math.min(c.loginTimeoutMs, c.idleTimeoutMs) / 10)));
    this.sweep = setInterval(() => {
      const now = Date.now();
      for (const conn of this.connections) conn.checkDeadlines(now);
      this.gatewayOrigins.note((this.directory?.list("gateway") ?? []).map((n) => String(n.http ?? "")));
    }, sweepEvery);
    this.sweep.unref();
    await this.registration.beat();
    log8.info({ id: this.opts.nodeId, tcp: this.tcpPort, http: this.httpPort }, "gateway listening");
  }
  /** Stops at once (after drain(), what is left): the remaining connections are closed. */
  async stop() {
    if (this.phase.getSnapshot().status === "active") this.phase.send({ type: "stop" });
    if (this.sweep) clearInterval(this.sweep);
    await this.registration?.stop();
    this.directory?.stop();
    this.ws?.close();
    this.sessions.clear();
    this.actors?.close();
    await new Promise((r) => {
      if (!this.httpServer) return r();
      this.httpServer.close(() => r());
      this.httpServer.closeAllConnections();
    });
  }
};
function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address().port);
    });
  });
}
async function startGateway(opts) {
  const gw = new Gateway(opts);
  await gw.start();
  return gw;
}

// ops/roles.ts
var log9 = logger("roles");
async function openConfiguredDatabase(config) {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: resolveDataPath(config, "pglite"), poolSize: config.dbPoolSize });
  await migrate(database, config.databaseUrl);
  log9.info({ driver: database.driver, where: database.where }, "database ready");
  return database;
}
async function provision(nc, config) {
  const replicas = config.streamReplicas;
  await ensureKv(nc, buckets.nodes, { ttl: 15e3, replicas });
  await ensureKv(nc, buckets.config, { replicas });
}
function actorKinds(config) {
  return [
    userKind({ maxDevices: config.maxDevices }),
    roomKind({ maxRoomMembers: config.maxRoomMembers }),
    groupKind({ missedBeats: config.storageMissedBeats, capacity: { viewersPerNode: config.watchNodeViewers, bytesPerSecond: config.watchNodeBytesPerSecond } }),
    trackerKind,
    watchKind({
      prepareMs: config.watchPrepareMs,
      startLeadMs: config.watchStartLeadMs,
      stallPauseMs: config.watchStallPauseMs,
      controlBurst: config.watchControlBurst,
      controlPerMinute: config.watchControlPerMinute,
      maxViewers: config.watchMaxViewers
    }),
    counterKind
  ];
}
async function startHostRole(nc, database, config, nodeId) {
  await provision(nc, config);
  const auth = startAuthService(nc, database.db, { sessionTtlHours: config.sessionTtlHours, scryptCost: config.scryptCost });
  const presence = startPresenceService(nc, database.db);
  const chat = startChatService(nc, database.db, {
    fileUrl: (fileId, forUser, room) => callService(nc, "svc.files.link", { fileId, forUser, grant: `room:${room}` }, config.filesAskTimeoutMs).then((g) => g.urls[0], () => void 0)
  });
  const runtime = await startActorRuntime(nc, database, { ...config, hostId: nodeId }, actorKinds(config));
  const files = startFilesService({
    nc,
    db: database.db,
    actors: runtime.client,
    secret: config.storageSecret,
    ticketTtlSeconds: config.ticketTtlSeconds,
    askTimeoutMs: config.filesAskTimeoutMs,
    hostId: nodeId
  });
  const library = startLibraryService(nc, database.db);
  const watch = startWatchService(nc, database.db, runtime.client, config.filesAskTimeoutMs);
  const directory = await NodeDirectory.open(await new import_kv.Kvm(nc).open("nodes"));
  const reaper = startGatewayReaper({ db: database.db, host: runtime.host, client: runtime.client, directory });
  log9.info({ nodeId }, "host role started");
  return {
    runtime,
    async stop() {
      reaper.stop();
      directory.stop();
      await watch.stop();
      await library.stop();
      await files.stop();
      await runtime.stop();
      await presence.stop();
      for (const s of chat) await s.stop();
      await auth.stop();
    }
  };
}
async function startGatewayRole(nc, config, nodeId) {
  return startGateway({ config, nc, nodeId });
}
function drainingOnStop(gateway, config) {
  return {
    stopWithinMs: config.drainGraceMs + 1e4,
    async stop() {
      await gateway.drain("shutdown");
      await gateway.stop();
    }
  };
}
function storageDataDir(config) {
  return config.data ? path5.resolve(projectRoot, config.data) : resolveDataPath(config, "storage", config.group);
}
async function startStorageRole(nc, database, config) {
  if (!config.group) throw new ConfigError("--group is required (TROUPE_STORAGE_GROUP)");
  return startStorageNode({
    group: config.group,
    dataDir: storageDataDir(config),
    nc,
    db: database.db,
    secret: config.storageSecret,
    httpPort: config.http,
    bind: config.storageBind,
    publicUrl: config.storagePublicUrl || void 0,
    // under `troupe up` the gateway's public host: browsers that reach the gateway reach the node
    publicHost: storagePublicHost(config),
    maxUploadBytes: config.maxUploadBytes,
    corsOrigins: parseCorsOrigins(config.corsOrigins),
    idStep: config.idStep,
    idStepMax: config.idStepMax,
    heartbeatMs: config.heartbeatMs,
    shutdownGraceMs: config.shutdownGraceMs,
    streamReplicas: config.streamReplicas,
    nodeId: config.nodeId || void 0
  });
}

export {
  TRACKER_ID,
  startStorageNode,
  openConfiguredDatabase,
  actorKinds,
  startHostRole,
  startGatewayRole,
  drainingOnStop,
  storageDataDir,
  startStorageRole
};
