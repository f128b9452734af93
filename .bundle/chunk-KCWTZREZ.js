import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  wrapper_default
} from "./chunk-FCC3TXGQ.js";
import {
  FrameDecoder,
  TroupeError,
  isErrorCode,
  targetPosition
} from "./chunk-DBBPO6IK.js";

// protocol/client/transport-node.ts
import net from "node:net";
function openTransport(url, events, timeoutMs = 1e4) {
  const u = new URL(url);
  if (u.protocol === "tcp:") return openTcp(u.hostname, Number(u.port || 7070), events, timeoutMs);
  if (u.protocol === "ws:" || u.protocol === "wss:") return openWs(url, events, timeoutMs);
  throw new Error(`unsupported URL ${url}: use tcp://host:port or ws://host:port/ws`);
}
function openTcp(host, port, events, timeoutMs) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect to tcp://${host}:${port} timed out`));
    }, timeoutMs);
    const decoder = new FrameDecoder({ maxFrameBytes: 64 * 1024 * 1024, discardLimitBytes: 64 * 1024 * 1024 });
    let closed = false;
    let opened = false;
    const finish = (reason) => {
      if (closed || !opened) return;
      closed = true;
      events.onClose(reason);
    };
    socket.once("connect", () => {
      clearTimeout(timer);
      opened = true;
      resolve({
        send(text) {
          const body = Buffer.from(text, "utf8");
          const head = Buffer.allocUnsafe(4);
          head.writeUInt32BE(body.length, 0);
          socket.write(Buffer.concat([head, body]));
        },
        close() {
          socket.end();
          setTimeout(() => socket.destroy(), 1e3).unref();
        },
        buffered: () => socket.writableLength
      });
    });
    socket.on("data", (chunk) => {
      for (const ev of decoder.push(chunk)) if (ev.type === "frame") events.onText(ev.text);
    });
    socket.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
      finish(e.message);
    });
    socket.on("close", () => finish("closed"));
  });
}
function openWs(url, events, timeoutMs) {
  return new Promise((resolve, reject) => {
    const ws = new wrapper_default(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
    let closed = false;
    let opened = false;
    ws.once("open", () => {
      opened = true;
      resolve({
        send: (text) => ws.send(text),
        close: () => ws.close(1e3),
        buffered: () => ws.bufferedAmount
      });
    });
    ws.on("message", (data, isBinary) => {
      if (!isBinary) events.onText(data.toString());
    });
    ws.on("error", (e) => reject(e));
    ws.on("close", (code, reason) => {
      if (closed || !opened) return;
      closed = true;
      events.onClose(`${code} ${reason.toString()}`.trim());
    });
  });
}

// protocol/client/emitter.ts
var Emitter = class {
  listeners = /* @__PURE__ */ new Map();
  on(event, fn) {
    const list = this.listeners.get(event);
    if (list) list.push(fn);
    else this.listeners.set(event, [fn]);
    return this;
  }
  off(event, fn) {
    const list = this.listeners.get(event);
    if (!list) return this;
    const i = list.findIndex((l) => l === fn || l.inner === fn);
    if (i >= 0) list.splice(i, 1);
    if (!list.length) this.listeners.delete(event);
    return this;
  }
  once(event, fn) {
    const wrapper = ((...args) => {
      this.off(event, wrapper);
      fn(...args);
    });
    wrapper.inner = fn;
    return this.on(event, wrapper);
  }
  /** Calls the listeners in the order they were added; a listener that throws does not stop the others. */
  emit(event, ...args) {
    const list = this.listeners.get(event);
    if (!list?.length) return false;
    for (const fn of [...list]) {
      try {
        fn(...args);
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
    }
    return true;
  }
  listenerCount(event) {
    return this.listeners.get(event)?.length ?? 0;
  }
};
function unref(timer) {
  timer.unref?.();
}

// protocol/client/gateways.ts
function gatewayUrl(g, via) {
  return via === "tcp" ? `tcp://${g.tcp}` : g.ws;
}
function viaOf(url, fallback = "tcp") {
  if (url.startsWith("ws:") || url.startsWith("wss:")) return "ws";
  if (url.startsWith("tcp:")) return "tcp";
  return fallback;
}
var isHttpEndpoint = (url) => url.startsWith("http:") || url.startsWith("https:");
function failoverOrder(known, via, endpoint, failed) {
  const out = [];
  const add = (u) => {
    if (u && !out.includes(u) && u !== failed) out.push(u);
  };
  for (const g of known) add(gatewayUrl(g, via));
  if (!isHttpEndpoint(endpoint)) add(endpoint);
  if (failed) out.push(failed);
  return out;
}
function spread(maxMs, random = Math.random) {
  return Math.floor(random() * Math.max(0, maxMs));
}

// protocol/client/client.ts
var TroupeClient = class _TroupeClient extends Emitter {
  /** `endpoint`: the URL first given (tcp://, ws://, or an http(s):// endpoint that lists gateways). */
  constructor(endpoint, opts) {
    super();
    this.endpoint = endpoint;
    this.opts = opts;
    this.via = opts.via ?? viaOf(endpoint);
    this.failover = opts.failover ?? isHttpEndpoint(endpoint);
    this.known = [...opts.gateways ?? []];
  }
  endpoint;
  opts;
  transport;
  /** URL of the gateway in use. */
  current = "";
  /** Live gateways as last heard (least-loaded first), for failover. */
  known = [];
  via;
  failover;
  nextRid = 1;
  pending = /* @__PURE__ */ new Map();
  heartbeat;
  refresher;
  closedByUser = false;
  /** Kicked by a newer login: do not reconnect. */
  kicked = false;
  reconnecting = false;
  moving = false;
  /** Ends the wait before the next reconnect attempt (reconnectNow). */
  wake;
  /** The session token once logged in (resumed after a reconnect). */
  token;
  user;
  /**
   * Connects to `tcp://…`, `ws://…/ws`, or `http://…` (asks /api/gateways for the live gateways and
   * takes the least-loaded one; with failover, the others when it goes).
   */
  static async connect(url, opts = {}) {
    const client = new _TroupeClient(url, opts);
    if (isHttpEndpoint(url)) await client.refresh();
    if (!await client.tryGateways()) throw new TroupeError("unavailable", `no gateway answered at ${url}${client.lastError ? ` (${client.lastError})` : ""}`);
    return client;
  }
  /** The gateway in use. */
  get url() {
    return this.current;
  }
  /** The live gateways this client knows of (with failover), least-loaded first. */
  get gateways() {
    return this.known;
  }
  lastError = "";
  /** Asks the http endpoint for the live gateways; false when it does not answer. */
  async refresh() {
    if (!isHttpEndpoint(this.endpoint)) return false;
    try {
      this.known = await fetchGateways(this.endpoint);
      return true;
    } catch (e) {
      this.lastError = e.message;
      return false;
    }
  }
  /**
   * Connects to the first gateway that answers and resumes the session there. Without failover:
   * the one it was on (first: the endpoint, or the least-loaded one an http endpoint lists). With
   * failover: the other live gateways it knows, then the endpoint first given (an http one is asked
   * for a fresh list), then `failed` itself, which may be back.
   */
  async tryGateways(failed) {
    const tried = /* @__PURE__ */ new Set();
    const attempt = async (urls2) => {
      for (const u of urls2) {
        if (tried.has(u) || this.closedByUser) continue;
        tried.add(u);
        if (await this.tryOne(u)) return true;
      }
      return false;
    };
    const urls = () => this.known.map((g) => gatewayUrl(g, this.via));
    if (!this.failover) {
      if (this.current) return attempt([this.current]);
      return attempt(isHttpEndpoint(this.endpoint) ? urls().slice(0, 1) : [this.endpoint]);
    }
    if (await attempt(failoverOrder(this.known, this.via, this.endpoint, failed).filter((u) => u !== failed))) return true;
    if (await this.refresh() && await attempt(urls().filter((u) => u !== failed))) return true;
    return failed !== void 0 && !this.moving && attempt([failed]);
  }
  /** Opens `url` and resumes the session there; on failure the previous connection stays in use. */
  async tryOne(url) {
    let t;
    try {
      t = await openTransport(url, {
        onText: (text) => this.onText(text, t),
        onClose: (reason) => this.onClose(reason, t)
      });
    } catch (e) {
      this.lastError = e.message;
      return false;
    }
    try {
      if (this.token) {
        const r = await this.requestOn(t, "auth.resume", { token: this.token, device: this.opts.device });
        this.user = r.user;
      }
    } catch (e) {
      if (!(e instanceof TroupeError && e.code === "session_expired")) {
        this.lastError = e.message;
        t.close();
        return false;
      }
      this.token = void 0;
    }
    this.transport = t;
    this.current = url;
    this.startTimers();
    return true;
  }
  startTimers() {
    this.stopTimers();
    const every = this.opts.heartbeatMs ?? 3e4;
    if (every > 0) {
      this.heartbeat = setInterval(() => {
        this.request("ping", {}).catch(() => {
        });
      }, every);
      unref(this.heartbeat);
    }
    if (this.failover) {
      const refresh = () => {
        this.request("gateways.list", {}).then((r) => {
          if (r.gateways.length) this.known = r.gateways;
        }, () => {
        });
      };
      refresh();
      this.refresher = setInterval(refresh, this.opts.refreshGatewaysMs ?? 3e4);
      unref(this.refresher);
    }
  }
  stopTimers() {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.refresher) clearInterval(this.refresher);
    this.heartbeat = this.refresher = void 0;
  }
  onText(text, from) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    const rid = msg.rid;
    if (typeof rid === "number" && this.pending.has(rid)) {
      const p = this.pending.get(rid);
      this.pending.delete(rid);
      clearTimeout(p.timer);
      if (msg.ok) {
        const { rid: _r, ok: _o, ...fields } = msg;
        p.resolve(fields);
      } else {
        const err = msg.error;
        p.reject(new TroupeError(isErrorCode(err?.code) ? err.code : "internal", err?.message ?? "request failed"));
      }
      return;
    }
    if (from !== this.transport) return;
    if (msg.ok === false) {
      if (msg.error?.code === "kicked") this.kicked = true;
      this.emit("error-frame", msg.error);
      return;
    }
    if (typeof msg.op !== "string") return;
    if (msg.op === "gateway.draining") this.onDraining(msg);
    this.emit("push", msg);
  }
  /** The gateway is going away: with failover, move to another in good time (spread over retryAfterMs). */
  onDraining(p) {
    if (p.gateways.length) this.known = p.gateways;
    if (!this.failover) return;
    const from = this.transport;
    const t = setTimeout(() => {
      if (this.transport === from) void this.move();
    }, spread(Math.min(p.retryAfterMs, p.closeInMs)));
    unref(t);
  }
  /** Moves to another gateway while this one still answers; stays if none takes us. */
  async move() {
    if (this.moving || this.reconnecting || this.closedByUser || this.kicked || !this.transport) return;
    this.moving = true;
    const old = this.transport;
    const from = this.current;
    try {
      if (await this.tryGateways(from)) {
        this.emit("moved", { from, to: this.current });
        this.emit("reconnected");
        old.close();
      }
    } finally {
      this.moving = false;
    }
  }
  onClose(reason, from) {
    for (const [rid, p] of this.pending) {
      if (p.on !== from) continue;
      clearTimeout(p.timer);
      p.reject(new TroupeError("unavailable", `connection closed (${reason}) before the answer arrived`));
      this.pending.delete(rid);
    }
    if (from !== this.transport) return;
    this.stopTimers();
    this.transport = void 0;
    if (this.closedByUser) {
      this.emit("closed");
      return;
    }
    this.emit("disconnected", reason);
    if (this.opts.reconnect !== false && !this.kicked) void this.reconnectLoop();
    else this.emit("closed");
  }
  async reconnectLoop() {
    if (this.reconnecting) return;
    this.reconnecting = true;
    const failed = this.current;
    let delay = 100;
    for (let attempt = 1; !this.closedByUser; attempt++) {
      const wait = Math.round(delay / 2 + Math.random() * (delay / 2));
      this.emit("reconnecting", { attempt, delayMs: wait });
      await new Promise((r) => {
        const t = setTimeout(r, wait);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
      this.wake = void 0;
      if (this.closedByUser) break;
      delay = Math.min(delay * 2, this.opts.maxReconnectDelayMs ?? 5e3);
      if (await this.tryGateways(failed)) {
        this.reconnecting = false;
        if (this.closedByUser) {
          this.transport?.close();
          return;
        }
        if (this.current !== failed) this.emit("moved", { from: failed, to: this.current });
        this.emit("reconnected");
        return;
      }
    }
    this.reconnecting = false;
  }
  /** Skips the wait before the next reconnect attempt (a user's "retry now", the browser back online). */
  reconnectNow() {
    this.wake?.();
  }
  get connected() {
    return this.transport !== void 0;
  }
  /** Sends a request and waits for its response; a failed response rejects with TroupeError. */
  request(op, fields, opts = {}) {
    const transport = this.transport;
    if (!transport) return Promise.reject(new TroupeError("unavailable", "not connected"));
    return this.requestOn(transport, op, fields, opts);
  }
  /** A request on a given connection (a new one is logged in before the application may use it). */
  requestOn(transport, op, fields, opts = {}) {
    const rid = this.nextRid++;
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs ?? 15e3;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rid);
        reject(new TroupeError("timeout", `${op} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(rid, { resolve, reject, timer, on: transport });
      transport.send(JSON.stringify({ ...fields, op, rid }));
    });
  }
  /** Sends raw text as one frame (tests use it to send malformed input). */
  sendRaw(text) {
    this.transport?.send(text);
  }
  async register(name, password) {
    return (await this.request("auth.register", { name, password })).user;
  }
  async login(name, password) {
    const r = await this.request("auth.login", { name, password, device: this.opts.device });
    this.token = r.token;
    this.user = r.user;
    return r.user;
  }
  async resume(token) {
    const r = await this.request("auth.resume", { token, device: this.opts.device });
    this.token = r.token;
    this.user = r.user;
    return r.user;
  }
  async logout() {
    await this.request("auth.logout", {});
    this.token = void 0;
    this.user = void 0;
  }
  /** Resolves with the next push of this op (optionally matching a predicate). */
  nextPush(op, match = () => true, timeoutMs = 1e4) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off("push", on);
        reject(new TroupeError("timeout", `no ${op} push within ${timeoutMs} ms`));
      }, timeoutMs);
      const on = (p) => {
        if (p.op === op && match(p)) {
          clearTimeout(timer);
          this.off("push", on);
          resolve(p);
        }
      };
      this.on("push", on);
    });
  }
  get bufferedBytes() {
    return this.transport?.buffered() ?? 0;
  }
  /** Closes for good (no reconnect). */
  close() {
    this.closedByUser = true;
    this.stopTimers();
    this.wake?.();
    if (!this.transport) return Promise.resolve();
    return new Promise((resolve) => {
      this.once("closed", () => resolve());
      this.transport.close();
    });
  }
};
async function fetchGateways(httpUrl) {
  const res = await fetch(new URL("/api/gateways", httpUrl));
  if (!res.ok) throw new Error(`${httpUrl}/api/gateways answered ${res.status}`);
  const { gateways } = await res.json();
  if (!gateways.length) throw new Error(`${httpUrl} lists no live gateway`);
  return gateways;
}

// protocol/client/chat.ts
var ChatSession = class extends Emitter {
  constructor(client, opts = {}) {
    super();
    this.client = client;
    this.opts = opts;
    for (const [room, seq] of Object.entries(opts.cursors ?? {})) this.cursors.set(room, seq);
  }
  client;
  opts;
  cursors = /* @__PURE__ */ new Map();
  held = /* @__PURE__ */ new Map();
  syncing;
  again = false;
  unconfirmed = /* @__PURE__ */ new Map();
  confirmTimer;
  onPush = (p) => this.push(p);
  onReconnect = () => void this.sync();
  resync;
  /** Starts listening and fetches what was missed. */
  async start() {
    this.client.on("push", this.onPush);
    this.client.on("reconnected", this.onReconnect);
    await this.sync();
    const every = this.opts.resyncMs ?? 2e4;
    if (every > 0) {
      this.resync = setInterval(() => void this.sync(), every);
      unref(this.resync);
    }
  }
  stop() {
    this.client.off("push", this.onPush);
    this.client.off("reconnected", this.onReconnect);
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    if (this.resync) clearInterval(this.resync);
  }
  /**
   * Sends a message. The sending connection gets no push of its own message: the answer's seq puts
   * it in sequence here. Retry with the same clientMsgId after an error; it is never sent twice.
   */
  async send(target, clientMsgId, body, opts = {}) {
    const r = await this.client.request("chat.send", { ...target, clientMsgId, body, ...opts.file ? { file: opts.file } : {} }, { timeoutMs: opts.timeoutMs });
    const from = this.client.user?.id ?? 0;
    this.offer({ room: r.room, seq: r.seq, kind: "text", from, body, at: r.at, clientMsgId, ...opts.file ? { file: opts.file } : {} }, false);
    return r;
  }
  push(p) {
    if (p.op === "chat.message") {
      const { op: _op, ...entry } = p;
      this.offer(entry, false);
    } else if (p.op === "rooms.joined") {
      void this.sync();
    }
  }
  /** One entry, from a push or a sync. */
  offer(e, fromSync) {
    let cur = this.cursors.get(e.room);
    if (cur === void 0) {
      if (!fromSync) {
        this.hold(e);
        void this.sync();
        return;
      }
      cur = e.seq - 1;
    }
    if (e.seq <= cur) return;
    if (e.seq > cur + 1) {
      this.hold(e);
      if (!fromSync) void this.sync();
      return;
    }
    this.deliver(e);
    const held = this.held.get(e.room);
    let next = held?.get(e.seq + 1);
    while (held && next) {
      held.delete(next.seq);
      this.deliver(next);
      next = held.get(next.seq + 1);
    }
  }
  hold(e) {
    let held = this.held.get(e.room);
    if (!held) this.held.set(e.room, held = /* @__PURE__ */ new Map());
    held.set(e.seq, e);
  }
  deliver(e) {
    this.cursors.set(e.room, e.seq);
    this.emit("entry", e);
    if (this.opts.confirmDelivery !== false) {
      this.unconfirmed.set(e.room, e.seq);
      this.confirmTimer ??= setTimeout(() => void this.confirm(), this.opts.confirmDelayMs ?? 200);
    }
  }
  /** Edits your message; the edit is an entry of its own, fetched at once (no push comes back to this connection). */
  async edit(room, seq, body) {
    const r = await this.client.request("chat.edit", { room, seq, body });
    await this.sync();
    return r;
  }
  /** Recalls your message (see edit). */
  async recall(room, seq) {
    const r = await this.client.request("chat.recall", { room, seq });
    await this.sync();
    return r;
  }
  /** Confirms every delivery so far now (instead of after the batching delay). */
  async flush() {
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    await this.confirm();
  }
  async confirm() {
    this.confirmTimer = void 0;
    const batch = [...this.unconfirmed];
    this.unconfirmed.clear();
    for (const [room, seq] of batch) {
      await this.client.request("chat.delivered", { room, seq }).catch(() => {
      });
    }
  }
  /** Asks for everything after the cursors (and after the server's delivered cursor elsewhere). */
  sync() {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.again = false;
        let more = true;
        while (more && this.client.connected) {
          const r = await this.client.request("chat.sync", { rooms: Object.fromEntries(this.cursors), limit: 200 });
          more = false;
          for (const room of r.rooms) {
            for (const e of room.messages) this.offer(e, true);
            if (room.more) more = true;
          }
        }
      } while (this.again && this.client.connected);
    })().catch((e) => {
      if (this.listenerCount("error")) this.emit("error", e);
    }).finally(() => {
      this.syncing = void 0;
    });
    return this.syncing;
  }
};

// protocol/client/clock.ts
var ClockEstimator = class {
  samples = [];
  keep;
  best;
  constructor(opts = {}) {
    this.keep = Math.max(1, opts.keep ?? 16);
    this.best = Math.max(1, opts.best ?? 4);
  }
  /** A ping sent at local `sent`, answered with server time `server`, received at local `received`. */
  add(sent, server, received) {
    const rtt = received - sent;
    if (!(rtt >= 0) || !Number.isFinite(server)) return null;
    const sample = { offset: server - (sent + received) / 2, rtt, at: received };
    this.samples.push(sample);
    if (this.samples.length > this.keep) this.samples.splice(0, this.samples.length - this.keep);
    return sample;
  }
  get count() {
    return this.samples.length;
  }
  /** The samples the estimate rests on: the lowest round trips, best first. */
  chosen() {
    return [...this.samples].sort((a, b) => a.rtt - b.rtt || b.at - a.at).slice(0, this.best);
  }
  /** server − local in ms (null before the first sample). */
  get offset() {
    const c = this.chosen();
    if (!c.length) return null;
    const o = c.map((s) => s.offset).sort((a, b) => a - b);
    const mid = o.length >> 1;
    return o.length % 2 ? o[mid] : (o[mid - 1] + o[mid]) / 2;
  }
  /** The lowest round trip seen recently (ms), null before the first sample. */
  get rtt() {
    const c = this.chosen();
    return c.length ? c[0].rtt : null;
  }
  /** How far off the estimate may be: half the worst round trip it rests on. */
  get uncertainty() {
    const c = this.chosen();
    return c.length ? Math.max(...c.map((s) => s.rtt)) / 2 : null;
  }
  /** Server time at local time `local` (the local time itself before any sample). */
  serverTime(local) {
    return local + (this.offset ?? 0);
  }
};

// protocol/client/sync.ts
var defaultSyncOptions = {
  deadbandMs: 10,
  correctAboveMs: 25,
  horizonMs: 1e3,
  maxRateChange: 0.05,
  seekThresholdMs: 1e3,
  seekCooldownMs: 3e3,
  holdToleranceMs: 30,
  stallAfterMs: 500,
  seekLatencyMs: 250,
  rejoinAboveMs: 100,
  rejoinLeadMs: 250,
  startLeadMs: 40,
  learnStartAfterMs: 300
};
function initialSyncState(o = defaultSyncOptions) {
  return { readyEpoch: -1, stalledEpoch: null, bufferingSince: null, lastSeekAt: null, seekAimedAt: null, seekLatencyMs: o.seekLatencyMs, correcting: false, heldAt: null, rejoin: null, startLeadMs: o.startLeadMs, started: null };
}
var clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));
function decide(s, tl, now, p, o = defaultSyncOptions) {
  const target = targetPosition({ ...tl, durationMs: tl.media?.durationMs ?? 0 }, now);
  const here = p.position + (p.paused || p.buffering || p.seeking ? 0 : p.rate * Math.max(0, now - p.measuredAt));
  let state = s;
  if (!tl.media || tl.state === "idle") {
    return { state: { ...s, bufferingSince: null, correcting: false }, decision: { play: false, rate: tl.rate, target, driftMs: null, wakeAt: null } };
  }
  const running = tl.state === "playing" && now + state.startLeadMs >= tl.at;
  if (!running) {
    state = { ...state, bufferingSince: null, correcting: false, seekAimedAt: null, rejoin: null };
    const off = here - tl.position;
    const decision2 = { play: false, rate: tl.rate, target, driftMs: off, wakeAt: tl.state === "playing" ? tl.at - state.startLeadMs : null };
    const landed = state.heldAt === tl.position && Math.abs(off) <= Math.max(o.holdToleranceMs, p.frameMs ?? 0, 100);
    if (Math.abs(off) > Math.max(o.holdToleranceMs, p.frameMs ?? 0) && !landed) {
      if (!p.seeking) {
        decision2.seekTo = tl.position;
        state = { ...state, heldAt: tl.position };
      }
      return { state, decision: decision2 };
    }
    if (p.canPlay && !p.seeking && (state.readyEpoch < tl.epoch || state.stalledEpoch !== null)) {
      decision2.report = { type: "ready", epoch: tl.epoch };
      state = { ...state, readyEpoch: tl.epoch, stalledEpoch: null };
    }
    return { state, decision: decision2 };
  }
  state = { ...state, heldAt: null };
  const drift = here - target;
  const decision = { play: true, rate: tl.rate, target, driftMs: p.seeking ? null : drift, wakeAt: null };
  if (now < tl.at && Math.abs(here - tl.position) <= Math.max(o.holdToleranceMs, p.frameMs ?? 0) + (p.paused ? 0 : state.startLeadMs * tl.rate)) {
    state = { ...state, started: { at: tl.at }, correcting: false };
    return { state, decision: { ...decision, driftMs: null } };
  }
  const rj = state.rejoin;
  if (rj && rj.epoch === tl.epoch && p.paused && now + state.startLeadMs < rj.at) {
    return { state, decision: { ...decision, play: false, driftMs: p.seeking ? null : here - rj.position, wakeAt: rj.at - state.startLeadMs } };
  }
  if (rj && rj.epoch === tl.epoch && now < rj.at && !p.seeking) {
    state = { ...state, started: { at: rj.at }, correcting: false };
    return { state, decision: { ...decision, driftMs: null } };
  }
  if (rj) state = { ...state, rejoin: null };
  if (p.paused && !p.seeking && !p.buffering && Math.abs(drift) > o.rejoinAboveMs) {
    const at = now + o.rejoinLeadMs;
    const position = targetPosition({ ...tl, durationMs: tl.media?.durationMs ?? 0 }, at);
    state = { ...state, rejoin: { epoch: tl.epoch, position, at }, correcting: false, bufferingSince: null };
    return { state, decision: { ...decision, play: false, seekTo: position, wakeAt: at } };
  }
  if (p.buffering) {
    const since = state.bufferingSince ?? now;
    state = { ...state, bufferingSince: since, correcting: false };
    if (now - since >= o.stallAfterMs && state.stalledEpoch === null) {
      decision.report = { type: "stall", epoch: tl.epoch };
      state = { ...state, stalledEpoch: tl.epoch };
    }
    return { state, decision };
  }
  state = { ...state, bufferingSince: null };
  if (p.seeking) return { state, decision };
  if (state.stalledEpoch !== null || state.readyEpoch < tl.epoch) {
    decision.report = { type: "ready", epoch: tl.epoch };
    state = { ...state, stalledEpoch: null, readyEpoch: tl.epoch };
  }
  const st = state.started;
  if (st && now >= st.at + o.learnStartAfterMs && p.measuredAt >= st.at + o.learnStartAfterMs && !p.paused) {
    state = { ...state, startLeadMs: clamp(state.startLeadMs - 0.5 * clamp(drift, -300, 300), 0, 500), started: null };
  }
  if (state.seekAimedAt !== null) {
    state = { ...state, seekLatencyMs: clamp(state.seekLatencyMs - 0.5 * clamp(drift, -1e3, 1e3), 0, 3e3), seekAimedAt: null };
  }
  const cooled = state.lastSeekAt === null || now - state.lastSeekAt >= o.seekCooldownMs;
  if (Math.abs(drift) > o.seekThresholdMs && cooled) {
    const aim = targetPosition({ ...tl, durationMs: tl.media?.durationMs ?? 0 }, now + state.seekLatencyMs);
    decision.seekTo = aim;
    state = { ...state, lastSeekAt: now, seekAimedAt: aim, correcting: false };
    return { state, decision };
  }
  const correcting = state.correcting ? Math.abs(drift) > o.deadbandMs : Math.abs(drift) > o.correctAboveMs;
  state = { ...state, correcting };
  if (correcting) decision.rate = tl.rate * (1 - clamp(drift / o.horizonMs, -o.maxRateChange, o.maxRateChange));
  return { state, decision };
}

// protocol/client/watch.ts
function background(timer) {
  timer.unref?.();
  return timer;
}
var localNow = () => performance.timeOrigin + performance.now();
var ClockSync = class {
  constructor(client, opts = {}) {
    this.client = client;
    this.opts = opts;
    this.now = opts.now ?? localNow;
  }
  client;
  opts;
  estimator = new ClockEstimator();
  timer;
  now;
  /** One sample; false when the ping failed (the connection is away). */
  async sample() {
    const sent = this.now();
    try {
      const r = await this.client.request("ping", { t: sent }, { timeoutMs: 5e3 });
      return this.estimator.add(sent, r.now, this.now()) !== null;
    } catch {
      return false;
    }
  }
  async burst() {
    const n = this.opts.burst ?? 5;
    for (let i = 0; i < n; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, this.opts.burstGapMs ?? 100));
      await this.sample();
    }
  }
  async start() {
    await this.burst();
    this.timer ??= background(setInterval(() => void this.sample(), this.opts.everyMs ?? 15e3));
  }
  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = void 0;
  }
  /** Server time now. */
  serverNow() {
    return this.estimator.serverTime(this.now());
  }
  /** Server time at a local time. */
  serverAt(local) {
    return this.estimator.serverTime(local);
  }
};
var WatchSession = class {
  constructor(client, room, opts = {}) {
    this.client = client;
    this.room = room;
    this.opts = opts;
    this.clock = new ClockSync(client, opts.clock);
  }
  client;
  room;
  opts;
  clock;
  timeline = null;
  settings = null;
  viewers = [];
  /** The revision of `viewers` (answers and pushes may cross: the highest wins). */
  viewersRev = -1;
  /** This connection's viewer id. */
  viewer = "";
  role = "member";
  mayControl = false;
  listeners = /* @__PURE__ */ new Map();
  refresh;
  joined = false;
  onPush = (p) => this.push(p);
  onReconnect = () => void this.rejoin();
  on(event, fn) {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, set = /* @__PURE__ */ new Set());
    set.add(fn);
    return this;
  }
  off(event, fn) {
    this.listeners.get(event)?.delete(fn);
    return this;
  }
  emit(event, value) {
    for (const fn of this.listeners.get(event) ?? []) fn(value);
  }
  /** Joins the room (this connection becomes a viewer) and starts the clock sync. */
  async join() {
    this.client.on("push", this.onPush);
    this.client.on("reconnected", this.onReconnect);
    this.joined = true;
    await this.enter();
    await this.clock.start();
    const every = this.opts.refreshMs ?? 3e4;
    if (every > 0) this.refresh = background(setInterval(() => void this.state().catch(() => {
    }), every));
  }
  async enter() {
    const r = await this.client.request("watch.join", { room: this.room });
    this.viewer = r.viewer;
    this.role = r.role;
    this.mayControl = r.mayControl;
    this.settings = r.settings;
    this.setViewers(r.viewers, r.viewersRev);
    this.offer(r.timeline, true);
  }
  /** After a reconnect the connection is a new one: join again, resample the clock. */
  async rejoin() {
    if (!this.joined) return;
    try {
      await this.enter();
      await this.clock.burst();
    } catch {
    }
  }
  /** Asks for the room's current state (also after a conflict). */
  async state() {
    const r = await this.client.request("watch.state", { room: this.room });
    this.settings = r.settings;
    this.setViewers(r.viewers, r.viewersRev);
    this.offer(r.timeline, true);
    return this.timeline;
  }
  /** Server time now, by the clock estimate. */
  serverNow() {
    return this.clock.serverNow();
  }
  setViewers(v, rev) {
    if (rev < this.viewersRev) return;
    this.viewersRev = rev;
    this.viewers = v;
    this.emit("viewers", v);
  }
  /** A timeline from an answer or a push: only a newer one replaces ours (they may cross). */
  offer(t, forceEmit = false, extra = {}) {
    if (this.timeline && t.epoch < this.timeline.epoch) return;
    const changed = !this.timeline || t.epoch > this.timeline.epoch;
    this.timeline = t;
    if (changed || forceEmit) this.emit("timeline", { ...t, ...extra });
  }
  push(p) {
    if (p.room !== this.room) return;
    if (p.op === "watch.timeline") this.offer(p.timeline, false, { cause: p.cause, ...p.by !== void 0 ? { by: p.by } : {} });
    else if (p.op === "watch.viewers") this.setViewers(p.viewers, p.viewersRev);
    else if (p.op === "watch.settings") {
      this.settings = p.settings;
      this.emit("settings", this.settings);
    } else if (p.op === "watch.report") this.emit("report", { viewer: p.viewer, user: p.user, position: p.position, driftMs: p.driftMs, status: p.status });
    else if (p.op === "watch.left") {
      this.stop();
      this.emit("left", p.reason);
    }
  }
  /**
   * A control command based on the timeline we have. If the room moved on meanwhile (conflict),
   * the current timeline is fetched and the command sent once more when it still means something
   * (`still` says so): the user's intent, not a stale epoch, decides.
   */
  async control(op, fields, still = () => true) {
    const send = async () => {
      const r = await this.client.request(op, { ...fields, room: this.room, epoch: this.timeline?.epoch ?? 0 });
      this.offer(r.timeline);
      return this.timeline;
    };
    try {
      return await send();
    } catch (e) {
      if (!(e instanceof TroupeError) || e.code !== "conflict") throw e;
      const now = await this.state();
      if (!still(now)) return now;
      return send();
    }
  }
  play() {
    return this.control("watch.play", {}, (t) => t.state !== "playing" && t.state !== "preparing");
  }
  pause() {
    return this.control("watch.pause", {}, (t) => t.state === "playing" || t.state === "preparing");
  }
  seek(position) {
    return this.control("watch.seek", { position: Math.max(0, position) });
  }
  setRate(rate) {
    return this.control("watch.rate", { rate });
  }
  load(what) {
    return this.control("watch.load", what);
  }
  async setSettings(s) {
    const r = await this.client.request("watch.settings", { room: this.room, ...s });
    this.settings = r.settings;
    return r.settings;
  }
  /** This viewer has data at the timeline's position of `epoch`. */
  async ready(epoch) {
    const rtt = this.clock.estimator.rtt;
    await this.client.request("watch.ready", { room: this.room, epoch, ...rtt !== null ? { rttMs: Math.round(rtt * 10) / 10 } : {} });
  }
  async stall(epoch) {
    await this.client.request("watch.stall", { room: this.room, epoch });
  }
  async report(position, driftMs, status) {
    await this.client.request("watch.report", { room: this.room, position: Math.max(0, position), driftMs, status });
  }
  /** A signed URL of the movie on the media server this viewer is placed on (`avoid`: one that failed). */
  source(avoid) {
    return this.client.request("watch.source", { room: this.room, ...avoid ? { avoid } : {} });
  }
  stop() {
    this.joined = false;
    this.clock.stop();
    if (this.refresh) clearInterval(this.refresh);
    this.client.off("push", this.onPush);
    this.client.off("reconnected", this.onReconnect);
  }
  /** Stops watching. */
  async leave() {
    this.stop();
    await this.client.request("watch.leave", { room: this.room }).catch(() => {
    });
  }
};

export {
  TroupeClient,
  ChatSession,
  initialSyncState,
  decide,
  localNow,
  WatchSession
};
