import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  ChatSession,
  TroupeClient,
  WatchSession,
  decide,
  initialSyncState,
  localNow
} from "./chunk-KCWTZREZ.js";
import {
  clockText,
  entryLine,
  entryRow,
  parseClock,
  preview,
  row,
  shortTime
} from "./chunk-WYOJLEM2.js";
import {
  ConfigError,
  RoomId,
  TroupeError,
  optionGroups
} from "./chunk-DBBPO6IK.js";

// ops/client/io.ts
import readline from "node:readline";
function processIo() {
  process.stdout.on("error", () => {
  });
  return {
    out: (line) => void process.stdout.write(line + "\n"),
    err: (line) => void process.stderr.write(line + "\n"),
    input: process.stdin,
    output: process.stdout,
    terminal: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    onInterrupt(fn) {
      process.on("SIGINT", fn);
      process.on("SIGTERM", fn);
      return () => {
        process.off("SIGINT", fn);
        process.off("SIGTERM", fn);
      };
    }
  };
}
function askLine(io, prompt, opts = {}) {
  const rl = readline.createInterface({ input: io.input, output: io.terminal ? io.output : void 0, terminal: io.terminal });
  if (opts.hidden && io.terminal) {
    io.output.write(prompt);
    rl._writeToOutput = () => {
    };
  }
  return new Promise((resolve) => {
    let answered = false;
    rl.once("close", () => {
      if (!answered) resolve(null);
    });
    rl.question(opts.hidden && io.terminal ? "" : io.terminal ? prompt : "", (answer) => {
      answered = true;
      rl.close();
      if (opts.hidden && io.terminal) io.output.write("\n");
      resolve(answer);
    });
  });
}
async function readPassword(io, given, env = process.env) {
  if (given) return given;
  if (env.TROUPE_PASSWORD) return env.TROUPE_PASSWORD;
  if (!io.terminal) throw new Error("no password: pass --password, set TROUPE_PASSWORD, or run on a terminal");
  const answer = await askLine(io, "password: ", { hidden: true });
  if (!answer) throw new Error("no password given");
  return answer;
}
function onLines(io, fn) {
  const rl = readline.createInterface({ input: io.input, terminal: false });
  rl.on("line", fn);
  return () => rl.close();
}

// ops/client/profile.ts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
function dir(clientHome) {
  return clientHome || path.join(os.homedir(), ".troupe");
}
function profilePath(clientHome, profile) {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(profile)) throw new ConfigError(`bad profile name "${profile}": use 1-64 letters, digits, _ . -`);
  return path.join(dir(clientHome), `${profile}.session.json`);
}
var Profile = class {
  constructor(clientHome, name) {
    this.clientHome = clientHome;
    this.name = name;
    this.file = profilePath(clientHome, name);
  }
  clientHome;
  name;
  file;
  load() {
    try {
      return JSON.parse(fs.readFileSync(this.file, "utf8"));
    } catch {
      return null;
    }
  }
  /** Saves a session; cursors are kept only when it is the same user as before. */
  saveSession(s) {
    const old = this.load();
    this.write({ ...s, ...old?.user.id === s.user.id && old.cursors ? { cursors: old.cursors } : {} });
  }
  forget() {
    fs.rmSync(this.file, { force: true });
  }
  cursors() {
    return { ...this.load()?.cursors ?? {} };
  }
  /** Moves cursors forward (never back), merging with what another run may have saved meanwhile. */
  saveCursors(cursors) {
    const current = this.load();
    if (!current) return;
    const merged = { ...current.cursors ?? {} };
    let changed = false;
    for (const [room, seq] of cursors) {
      if ((merged[room] ?? -1) < seq) {
        merged[room] = seq;
        changed = true;
      }
    }
    if (changed) this.write({ ...current, cursors: merged });
  }
  /** Remembers the live gateways a connection last heard of (for failover on the next run). */
  saveGateways(gateways) {
    const current = this.load();
    if (!current || !gateways.length || JSON.stringify(current.gateways ?? []) === JSON.stringify(gateways)) return;
    this.write({ ...current, gateways: [...gateways] });
  }
  /** After this profile itself added `seq` to a room: seen, if nothing unseen lies before it. */
  advanceIfNext(room, seq) {
    if (this.load()?.cursors?.[room] === seq - 1) this.saveCursors([[room, seq]]);
  }
  write(p) {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 448 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(p, null, 2), { mode: 384 });
    fs.renameSync(tmp, this.file);
  }
};

// ops/client/names.ts
var roomIdPattern = new RegExp(RoomId.pattern);
var userNamePattern = /^[A-Za-z0-9_.-]{1,32}$/;
function isRoomId(s) {
  return roomIdPattern.test(s);
}
function directRoomId(a, b) {
  return a < b ? `d${a}-${b}` : `d${b}-${a}`;
}
function directPeer(room, me) {
  const m = /^d(\d+)-(\d+)$/.exec(room);
  if (!m) return void 0;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a === me ? b : b === me ? a : void 0;
}
var Names = class {
  constructor(client, me) {
    this.client = client;
    this.me = me;
    this.learn(me);
  }
  client;
  me;
  byId = /* @__PURE__ */ new Map();
  loaded = /* @__PURE__ */ new Map();
  misses = /* @__PURE__ */ new Set();
  learn(...users) {
    for (const u of users) this.byId.set(u.id, u.name);
  }
  /** A user's name, or #<id> when it is not known; '-' for the system (0). */
  label = (id) => id === 0 ? "-" : this.byId.get(id) ?? `#${id}`;
  has(id) {
    return id === 0 || this.byId.has(id);
  }
  /** Learns the members of a room (once; again when an id is still unknown, say a new member). */
  async loadRoom(room, ids = []) {
    const unknown = ids.filter((id) => !this.has(id) && !this.misses.has(`${room}:${id}`));
    if (this.loaded.has(room) && !unknown.length) return this.loaded.get(room);
    for (const id of unknown) this.misses.add(`${room}:${id}`);
    const p = this.client.request("rooms.members", { room }).then(
      (r) => this.learn(...r.members.map((m) => m.user)),
      () => {
      }
    ).then(() => this.loadUsers(ids));
    this.loaded.set(room, p);
    return p;
  }
  /** Names for ids no member list gave (a former member, a kicked sender), asked once each. */
  async loadUsers(ids) {
    const unknown = [...new Set(ids)].filter((id) => !this.has(id) && !this.misses.has(`user:${id}`)).slice(0, 100);
    if (!unknown.length) return;
    for (const id of unknown) this.misses.add(`user:${id}`);
    const { users } = await this.client.request("users.get", { ids: unknown }).catch(() => ({ users: [] }));
    this.learn(...users);
  }
  /** The user with exactly this name (any case). */
  async user(name) {
    const given = name.startsWith("@") ? name.slice(1) : name;
    if (!userNamePattern.test(given)) throw new TroupeError("not_found", `no user named "${name}"`);
    const { users } = await this.client.request("users.find", { query: given, limit: 50 });
    const hit = users.find((u) => u.name.toLowerCase() === given.toLowerCase());
    if (!hit) throw new TroupeError("not_found", `no user named "${given}"`);
    this.learn(hit);
    return hit;
  }
  /** A room: an id, @user (the direct conversation), or the exact name of one of your rooms. */
  async target(arg) {
    if (arg.startsWith("@")) {
      const peer = await this.user(arg.slice(1));
      if (peer.id === this.me.id) throw new TroupeError("bad_request", "that is you: a direct conversation needs another user");
      return { room: directRoomId(this.me.id, peer.id), label: `@${peer.name}`, kind: "direct", peer };
    }
    if (isRoomId(arg)) {
      if (!arg.startsWith("d")) return { room: arg, label: arg, kind: "group" };
      const peerId = directPeer(arg, this.me.id);
      if (peerId === void 0) throw new TroupeError("forbidden", `${arg} is a direct conversation of two other users`);
      await this.loadRoom(arg, [peerId]);
      const peer = this.has(peerId) ? { id: peerId, name: this.label(peerId) } : void 0;
      return { room: arg, label: peer ? `@${peer.name}` : arg, kind: "direct", ...peer ? { peer } : {} };
    }
    const { conversations } = await this.client.request("rooms.list", { limit: 500 });
    const hits = conversations.filter((c) => c.room.kind === "group" && c.room.name.toLowerCase() === arg.toLowerCase());
    if (hits.length > 1) throw new TroupeError("conflict", `${hits.length} of your rooms are named "${arg}": give the id (${hits.map((h) => h.room.id).join(", ")})`);
    if (!hits.length) throw new TroupeError("not_found", `no room "${arg}" among yours: give a room id (g\u2026), @user, or the name of a room you are in`);
    return { room: hits[0].room.id, label: hits[0].room.name, kind: "group" };
  }
  /** An open room to join: its id, or its exact name (rooms.discover). */
  async openRoom(arg) {
    if (isRoomId(arg)) return arg;
    const { rooms } = await this.client.request("rooms.discover", { query: arg.slice(0, 80), limit: 100 });
    const hits = rooms.filter((r) => r.name.toLowerCase() === arg.toLowerCase());
    if (hits.length > 1) throw new TroupeError("conflict", `${hits.length} open rooms are named "${arg}": give the id (${hits.map((h) => h.id).join(", ")})`);
    if (!hits.length) throw new TroupeError("not_found", `no open room named "${arg}" (troupe client discover lists them)`);
    return hits[0].id;
  }
};
async function about(t, work) {
  try {
    return await work();
  } catch (e) {
    if (!(e instanceof TroupeError)) throw e;
    if (e.code === "forbidden" && t.kind === "direct" && /member/.test(e.message)) throw new TroupeError("not_found", `no conversation with ${t.label} yet (send a message first)`);
    if (e.code === "forbidden" && /only members/.test(e.message)) throw new TroupeError("forbidden", `${t.label}: you are not a member of this room (or it does not exist)`);
    throw new TroupeError(e.code, `${t.label}: ${e.message}`);
  }
}

// ops/client/context.ts
var clientFlags = {
  password: { type: "string", help: "password for register, login and chat (prefer TROUPE_PASSWORD or the prompt)" },
  device: { type: "string", help: "device type to connect as: desktop, mobile, web, cli, bot (default: cli; chat and listen: desktop)" },
  open: { type: "boolean", help: "create: anyone may join the room" },
  description: { type: "string", help: "create: the room's description" },
  member: { type: "string", multiple: true, help: "create: add this user at once (repeat for more)" },
  before: { type: "string", help: "history: entries before this seq (page back with the first seq shown)" },
  limit: { type: "string", help: "history: how many entries (1-200, default 20)" },
  for: { type: "string", help: "listen, watch: stop after this many seconds" },
  headless: { type: "boolean", help: "watch: mpv without a window or sound (servers, tests)" }
};
var deviceTypes = ["desktop", "mobile", "web", "cli", "bot"];
function usageError(message) {
  return new ConfigError(message);
}
function checkArgs(name, spec, args, flags) {
  const [min, max] = spec.args;
  if (args.length < min) throw usageError(`${name}: missing arguments; usage: ${spec.usage}`);
  if (args.length > max) throw usageError(`${name}: too many arguments (${args.slice(max).join(" ")}); usage: ${spec.usage}`);
  const allowed = /* @__PURE__ */ new Set([...spec.flags ?? [], "device"]);
  for (const [k, v] of Object.entries(flags)) {
    if (v !== void 0 && !allowed.has(k)) throw usageError(`${name} does not take --${k}; usage: ${spec.usage}`);
  }
}
function intArg(what, raw, min, max = Number.MAX_SAFE_INTEGER) {
  if (!/^\d+$/.test(raw.trim())) throw usageError(`${what} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw usageError(`${what} must be between ${min} and ${max}, got ${n}`);
  return n;
}
function deviceOf(flags, fallback) {
  const d = flags.device ?? fallback;
  if (!deviceTypes.includes(d)) throw usageError(`--device must be one of ${deviceTypes.join(", ")}, got "${d}"`);
  return d;
}
function givenUrl(parsed) {
  return parsed.given.has("url") ? parsed.config.url : "";
}
function urlFor(env) {
  return env.url || env.profile.load()?.url || optionGroups.client.url.default;
}
function notLoggedIn(profile) {
  return new TroupeError("unauthenticated", `not logged in (profile "${profile.name}"): run troupe client login <name>${profile.name === "default" ? "" : ` --profile ${profile.name}`}`);
}
async function connectClient(env, opts = {}) {
  const client = await TroupeClient.connect(urlFor(env), {
    reconnect: false,
    heartbeatMs: 0,
    ...opts,
    ...env.device ? { device: { type: env.device } } : {},
    ...env.failover ? { failover: true } : {},
    gateways: env.profile.load()?.gateways
  });
  const remember = () => env.profile.saveGateways(client.gateways);
  client.on("reconnected", remember);
  client.on("closed", remember);
  return client;
}
async function connectSaved(env, opts = {}) {
  const saved = env.profile.load();
  if (!saved) throw notLoggedIn(env.profile);
  const client = await connectClient(env, opts);
  try {
    const me = await client.resume(saved.token);
    return { ...env, client, me, names: new Names(client, me) };
  } catch (e) {
    await client.close();
    if (e instanceof TroupeError && e.code === "session_expired") {
      throw new TroupeError("session_expired", `the saved session of ${saved.user.name} has expired or was revoked: run troupe client login ${saved.user.name}`);
    }
    throw e;
  }
}

// ops/client/help.ts
var sections = [
  ["Account", ["register", "login", "logout", "whoami", "ping"]],
  ["Conversations and rooms", ["rooms", "create", "join", "invite", "leave", "kick", "role", "rename", "members", "discover"]],
  ["Messages", ["send", "edit", "recall", "history", "read", "sync", "listen"]],
  ["People", ["find", "friends", "add", "accept", "decline", "unfriend", "block", "unblock", "presence"]],
  ["Watch together", ["library", "watch"]],
  ["Interactive", ["chat"]]
];
function clientUsage(commands) {
  const lines = ["troupe client <command> [args] [--url URL] [--profile NAME]", ""];
  for (const [title, names] of sections) {
    lines.push(`${title}:`);
    for (const n of names) {
      const c = commands[n];
      if (!c) continue;
      if (c.usage.length < 48) lines.push(`  ${c.usage.padEnd(48)} ${c.summary}`);
      else lines.push(`  ${c.usage}`, `  ${"".padEnd(48)} ${c.summary}`);
    }
  }
  return lines.join("\n");
}
var clientDescription = `
A client of the gateway over TCP or WebSocket (--url tcp://host:7070, ws://host:8080/ws, or
http://host:8080 to be sent to the least-loaded gateway). \`login\` saves the session in the
profile (~/.troupe/<profile>.session.json, mode 600); later commands resume it and connect to
--url if given, else to the URL the profile logged in with. Several accounts side by side:
--profile NAME (or TROUPE_PROFILE).

Naming things:
  <user>   a user name (exact, any case)
  <room>   a room id (g\u2026 for groups, d<id>-<id> for direct conversations), @name for the direct
           conversation with that user (a first message creates it), or the exact name of one
           of your rooms. join also takes the name of an open room.
  Text that starts with "-" goes after "--":  troupe client send @bob -- -5 degrees

Output: one record per line, fields separated by a TAB, free text last with \\ TAB newline CR
written as \\\\ \\t \\n \\r, so cut -f and awk -F'\\t' work. Errors go to stderr as
"troupe client: <code>: <message>"; exit status 1 for failures, 2 for usage errors.
  rooms                  <room> <name or @peer> <unread> <last message preview>
  create, join           <room> <name>
  invite, kick           <room> invited|kicked <user>
  role                   <room> admin|member <user>
  leave, rename          <room> left | <room> renamed <new name>
  members                <user> <owner|admin|member> <online|offline> <read up to seq>
  discover               <room> <name> <member count> <description>
  send, edit, recall     <room> <seq of the new entry>
  read                   <room> <read up to seq> <unread left>
  history, sync, listen  entries: <room> <seq> <time, UTC ISO 8601> <sender or -> <kind> <text>
      kind  text       a message
            edited     a message edited since (the text is the edited one)
            recalled   a recalled message (empty text)
            edit       an edit: text is "#<seq> <new text>"
            recall     a recall: text is "#<seq>"
            system     a room event (created, joined, left, renamed\u2026) in words
      history prints "more: --before <seq>" on stderr when older entries exist.
      A sender who left the room shows as #<user id>.
  listen also prints events, first field the event name (entries start with the room id):
            read <room> <user> <seq>    typing <room> <user>    joined <room> <name>
            left <room> left|kicked     friend <user> <status>  presence <user> <online|offline> <devices>
  find                   <user> <id>
  friends                <user> <friend|incoming|outgoing|blocked> <online|offline> <devices or ->
  add, accept, decline, unfriend, block, unblock
                         <user> <status now: outgoing|friend|none|blocked>
  presence               <user> <online|offline> <devices or -> <last seen or ->
  register, login, logout, whoami, ping: one sentence.
  library                <file id> <title> <length m:ss.s or -> <bytes> <type> <added by>
  watch                  as things happen: timeline <state> <position> <title> <cause> <by>,
                         viewers <name:status>..., source <media server node>; after "who" and
                         "status": viewers ..., status <state> <target> <drift ms> <node>

sync and listen show each entry once per profile: the profile remembers how far it has seen
(cursors next to the session), so a second sync prints only what is newer. listen prints the
unseen entries first, then follows until Ctrl-C or --for SECONDS. send retries after a timeout or
a lost connection with the same client message id: the message is never stored twice.

Devices: one connection per device type and user (a newer one kicks the older). One-shot
commands connect as "cli", chat, listen and watch as "desktop"; --device picks another type.

Watch together: troupe client watch <room> plays the room's movie in mpv (Debian package mpv)
in sync with everyone else, browsers included: small drift is corrected with the playback rate
(within \xB15 %), a large one with a seek. Pausing or seeking in mpv does it for the room (when the
room lets you control it). Commands on stdin: play, pause, seek <time>, rate <r>,
load <library file id | #seq of a file shared in the room | title words>, library [query], who,
status, quit. --headless runs mpv without window or sound. watch connects as "desktop", like chat
and listen: to chat while you watch, start one of them with --device web (or mobile).

Interactive: troupe client chat [room|@user] shows your conversations; /open <room|@user|number>
opens one and shows its last messages, /more pages back, plain lines are sent, new messages of
the open conversation appear as they arrive and are marked read, others show a one-line notice
with the unread count. /help lists the commands; every command above also works as /command.
On a pipe it reads one line at a time and prints plain lines (no prompt), so it can be scripted.`;

// ops/client/account.ts
var connect = (env) => connectClient(env);
async function using(env, work) {
  const c = await connect(env);
  try {
    return await work(c);
  } finally {
    await c.close();
  }
}
var accountCommands = {
  register: {
    usage: "register <name>",
    summary: "create an account (asks for the password, or --password / TROUPE_PASSWORD)",
    args: [1, 1],
    flags: ["password"],
    standalone: true,
    async alone(env, [name], flags) {
      const password = await readPassword(env.io, flags.password, env.env);
      const user = await using(env, (c) => c.register(name, password));
      env.io.out(`registered ${user.name} (id ${user.id})`);
    }
  },
  login: {
    usage: "login <name>",
    summary: "log in and save the session in the profile for later commands",
    args: [1, 1],
    flags: ["password"],
    standalone: true,
    async alone(env, [name], flags) {
      const password = await readPassword(env.io, flags.password, env.env);
      const url = urlFor(env);
      await using(env, async (c) => {
        const user = await c.login(name, password);
        env.profile.saveSession({ url, token: c.token, user, expiresAt: "" });
        env.io.out(`logged in as ${user.name} (id ${user.id}) over ${c.url}`);
      });
    }
  },
  logout: {
    usage: "logout",
    summary: "revoke the saved session and forget it (and the profile's cursors)",
    args: [0, 0],
    standalone: true,
    async run(ctx) {
      await ctx.client.logout();
      ctx.profile.forget();
      ctx.io.out(`logged out ${ctx.me.name}`);
    }
  },
  whoami: {
    usage: "whoami",
    summary: "the saved session's user (resumes it on the server)",
    args: [0, 0],
    async run(ctx) {
      ctx.io.out(`${ctx.me.name} (id ${ctx.me.id})`);
    }
  },
  ping: {
    usage: "ping",
    summary: "round trip to the gateway",
    args: [0, 0],
    async alone(env) {
      await using(env, async (c) => {
        const t = Date.now();
        await c.request("ping", { t });
        env.io.out(`pong from ${c.url} in ${Date.now() - t} ms`);
      });
    }
  }
};

// ops/client/rooms.ts
function conversationLabel(room) {
  return room.kind === "direct" ? room.peer ? `@${room.peer.name}` : room.id : room.name;
}
function roomName(words) {
  const name = words.join(" ").trim();
  if (!name) throw usageError("the room name is empty");
  if (name.length > 80) throw usageError(`a room name has at most 80 characters (this one has ${name.length})`);
  return name;
}
async function memberTarget(ctx, roomArg) {
  const t = await ctx.names.target(roomArg);
  if (t.kind === "direct") throw new TroupeError("forbidden", `${t.label} is a direct conversation: it has exactly its two people`);
  return t;
}
async function createRoom(ctx, words, flags) {
  const name = roomName(words);
  if (flags.description !== void 0 && flags.description.length > 1e3) throw usageError("a description has at most 1000 characters");
  const members = [];
  for (const m of flags.member ?? []) members.push((await ctx.names.user(m)).id);
  const { room } = await ctx.client.request("rooms.create", {
    name,
    ...flags.open ? { open: true } : {},
    ...flags.description !== void 0 ? { description: flags.description } : {},
    ...members.length ? { members } : {}
  });
  return room;
}
async function joinRoom(ctx, arg) {
  const id = await ctx.names.openRoom(arg);
  const { room } = await about({ room: id, label: arg, kind: "group" }, () => ctx.client.request("rooms.join", { room: id }));
  return room;
}
var roomCommands = {
  rooms: {
    usage: "rooms",
    summary: "your conversations, last activity first",
    args: [0, 0],
    async run(ctx) {
      const { conversations } = await ctx.client.request("rooms.list", { limit: 500 });
      for (const c of conversations) ctx.io.out(row(c.room.id, conversationLabel(c.room), c.unread, c.lastPreview));
    }
  },
  create: {
    usage: "create <name...> [--open] [--description D] [--member NAME ...]",
    summary: "create a group room (you are its owner)",
    args: [1, Infinity],
    flags: ["open", "description", "member"],
    async run(ctx, words, flags) {
      const room = await createRoom(ctx, words, flags);
      ctx.io.out(row(room.id, room.name));
    }
  },
  join: {
    usage: "join <room>",
    summary: "join an open room (by id or exact name)",
    args: [1, 1],
    async run(ctx, [arg]) {
      const room = await joinRoom(ctx, arg);
      ctx.io.out(row(room.id, room.name));
    }
  },
  invite: {
    room: true,
    usage: "invite <room> <user>",
    summary: "add a user to a room (owner and admins)",
    args: [2, 2],
    async run(ctx, [roomArg, userArg]) {
      const t = await memberTarget(ctx, roomArg);
      const user = await ctx.names.user(userArg);
      await about(t, () => ctx.client.request("rooms.invite", { room: t.room, user: user.id }));
      ctx.io.out(row(t.room, "invited", user.name));
    }
  },
  leave: {
    room: true,
    usage: "leave <room>",
    summary: "leave a room",
    args: [1, 1],
    async run(ctx, [roomArg]) {
      const t = await memberTarget(ctx, roomArg);
      await about(t, () => ctx.client.request("rooms.leave", { room: t.room }));
      ctx.io.out(row(t.room, "left"));
    }
  },
  kick: {
    room: true,
    usage: "kick <room> <user>",
    summary: "remove a member (owner: anyone; admins: members)",
    args: [2, 2],
    async run(ctx, [roomArg, userArg]) {
      const t = await memberTarget(ctx, roomArg);
      const user = await ctx.names.user(userArg);
      await about(t, () => ctx.client.request("rooms.kick", { room: t.room, user: user.id }));
      ctx.io.out(row(t.room, "kicked", user.name));
    }
  },
  role: {
    room: true,
    usage: "role <room> <user> admin|member",
    summary: "make a member an admin or a plain member (owner only)",
    args: [3, 3],
    async run(ctx, [roomArg, userArg, role]) {
      if (role !== "admin" && role !== "member") throw usageError(`role must be admin or member, got "${role}"`);
      const t = await memberTarget(ctx, roomArg);
      const user = await ctx.names.user(userArg);
      await about(t, () => ctx.client.request("rooms.role", { room: t.room, user: user.id, role }));
      ctx.io.out(row(t.room, role, user.name));
    }
  },
  rename: {
    room: true,
    usage: "rename <room> <name...>",
    summary: "rename a room (owner and admins)",
    args: [2, Infinity],
    async run(ctx, [roomArg, ...words]) {
      const name = roomName(words);
      const t = await memberTarget(ctx, roomArg);
      await about(t, () => ctx.client.request("rooms.update", { room: t.room, name }));
      ctx.io.out(row(t.room, "renamed", name));
    }
  },
  members: {
    room: true,
    usage: "members <room>",
    summary: "members with role, online state and read position",
    args: [1, 1],
    async run(ctx, [roomArg]) {
      const t = await ctx.names.target(roomArg);
      const { members } = await about(t, () => ctx.client.request("rooms.members", { room: t.room }));
      for (const m of members) ctx.io.out(row(m.user.name, m.role, m.online ? "online" : "offline", m.readSeq));
    }
  },
  discover: {
    usage: "discover [prefix]",
    summary: "open rooms you can join, by name prefix",
    args: [0, 1],
    async run(ctx, [prefix]) {
      if (prefix !== void 0 && prefix.length > 80) throw usageError("the prefix has at most 80 characters");
      const { rooms } = await ctx.client.request("rooms.discover", { query: prefix ?? "", limit: 100 });
      for (const r of rooms) ctx.io.out(row(r.id, r.name, r.members, r.description));
    }
  }
};

// ops/client/messages.ts
import { randomBytes } from "node:crypto";
function newClientMsgId() {
  return `t${Date.now().toString(36)}-${randomBytes(6).toString("hex")}`;
}
var transient = /* @__PURE__ */ new Set(["timeout", "unavailable", "rate_limited"]);
async function withRetry(client, work, opts = {}) {
  const attempts = opts.attempts ?? 6;
  let delay = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (!(e instanceof TroupeError) || !transient.has(e.code) || attempt >= attempts) throw e;
      await new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          client.off("reconnected", done);
          resolve();
        };
        const timer = setTimeout(done, client.connected ? delay : Math.max(delay, 5e3));
        if (!client.connected) client.once("reconnected", done);
      });
      delay = Math.min(delay * 2, 4e3);
    }
  }
}
function sendTarget(t) {
  return t.peer ? { to: t.peer.id } : { room: t.room };
}
function messageBody(words) {
  const body = words.join(" ");
  if (!body.trim()) throw usageError("the message is empty");
  if (body.length > 8e3) throw usageError(`a message has at most 8000 characters (this one has ${body.length})`);
  return body;
}
function mentioned(e) {
  const d = e.data ?? {};
  return [e.from, d.user, d.by, d.owner].filter((x) => typeof x === "number" && x > 0);
}
var Printer = class {
  constructor(names, out, err) {
    this.names = names;
    this.out = out;
    this.err = err;
  }
  names;
  out;
  err;
  chain = Promise.resolve();
  entry(e) {
    this.then(async () => {
      await this.names.loadRoom(e.room, mentioned(e));
      this.out(entryRow(e, this.names.label));
    });
  }
  then(work) {
    this.chain = this.chain.then(work).catch((e) => this.err(`troupe client: ${e.message}`));
  }
  drain() {
    return this.chain;
  }
};
async function pushRow(p, names) {
  const user = (id) => names.label(Number(id));
  switch (p.op) {
    case "chat.read":
      await names.loadRoom(String(p.room), [Number(p.user)]);
      return row("read", String(p.room), user(p.user), Number(p.seq));
    case "chat.typing":
      await names.loadRoom(String(p.room), [Number(p.user)]);
      return row("typing", String(p.room), user(p.user));
    case "rooms.joined": {
      const r = p.room;
      return row("joined", r.id, r.kind === "direct" ? "-" : r.name);
    }
    case "rooms.left":
      return row("left", String(p.room), String(p.reason));
    case "friends.update": {
      const u = p.user;
      names.learn(u);
      return row("friend", u.name, String(p.status));
    }
    case "presence":
      return row("presence", user(p.user), p.online ? "online" : "offline", p.devices.join(",") || "-");
    default:
      return void 0;
  }
}
async function followProfile(ctx, printer, opts) {
  const session = new ChatSession(ctx.client, { cursors: ctx.profile.cursors(), resyncMs: opts.resyncMs, confirmDelayMs: 100 });
  let failure;
  session.on("error", (e) => {
    failure = e;
  });
  session.on("entry", (e) => printer.entry(e));
  const save = async () => {
    await printer.drain();
    ctx.profile.saveCursors(session.cursors);
  };
  await session.start();
  return {
    session,
    save,
    failure: () => failure,
    async stop() {
      session.stop();
      await session.flush();
      await save();
    }
  };
}
var messageCommands = {
  send: {
    room: true,
    usage: "send <room|@user> <text...>",
    summary: "send a message (retried with the same id after a timeout: never twice)",
    args: [2, Infinity],
    async run(ctx, [roomArg, ...words]) {
      const body = messageBody(words);
      const t = await ctx.names.target(roomArg);
      const clientMsgId = newClientMsgId();
      const r = await about(t, () => withRetry(ctx.client, () => ctx.client.request("chat.send", { ...sendTarget(t), clientMsgId, body }, { timeoutMs: 1e4 })));
      ctx.profile.advanceIfNext(r.room, r.seq);
      ctx.io.out(row(r.room, r.seq));
    }
  },
  edit: {
    room: true,
    usage: "edit <room|@user> <seq> <text...>",
    summary: "edit your own message",
    args: [3, Infinity],
    async run(ctx, [roomArg, seqArg, ...words]) {
      const seq = intArg("seq", seqArg, 1);
      const body = messageBody(words);
      const t = await ctx.names.target(roomArg);
      const r = await about(t, () => ctx.client.request("chat.edit", { room: t.room, seq, body }));
      ctx.profile.advanceIfNext(t.room, r.seq);
      ctx.io.out(row(t.room, r.seq));
    }
  },
  recall: {
    room: true,
    usage: "recall <room|@user> <seq>",
    summary: "recall (delete) your own message",
    args: [2, 2],
    async run(ctx, [roomArg, seqArg]) {
      const seq = intArg("seq", seqArg, 1);
      const t = await ctx.names.target(roomArg);
      const r = await about(t, () => ctx.client.request("chat.recall", { room: t.room, seq }));
      ctx.profile.advanceIfNext(t.room, r.seq);
      ctx.io.out(row(t.room, r.seq));
    }
  },
  history: {
    room: true,
    usage: "history <room|@user> [--before N] [--limit N]",
    summary: "entries of a room, oldest first (the newest by default)",
    args: [1, 1],
    flags: ["before", "limit"],
    async run(ctx, [roomArg], flags) {
      const before = flags.before !== void 0 ? intArg("--before", flags.before, 1) : void 0;
      const limit = flags.limit !== void 0 ? intArg("--limit", flags.limit, 1, 200) : 20;
      const t = await ctx.names.target(roomArg);
      const r = await about(t, () => ctx.client.request("chat.history", { room: t.room, limit, ...before !== void 0 ? { before } : {} }));
      await ctx.names.loadRoom(t.room, r.messages.flatMap(mentioned));
      for (const e of r.messages) ctx.io.out(entryRow(e, ctx.names.label));
      if (r.more && r.messages.length) ctx.io.err(`more: --before ${r.messages[0].seq}`);
    }
  },
  read: {
    room: true,
    usage: "read <room|@user> [seq]",
    summary: "mark read up to seq (default: the last entry)",
    args: [1, 2],
    async run(ctx, [roomArg, seqArg]) {
      const given = seqArg !== void 0 ? intArg("seq", seqArg, 1) : void 0;
      const t = await ctx.names.target(roomArg);
      const seq = given ?? (await about(t, () => ctx.client.request("chat.history", { room: t.room, limit: 1 }))).messages.at(-1)?.seq ?? 0;
      const r = await about(t, () => ctx.client.request("chat.read", { room: t.room, seq }));
      ctx.io.out(row(t.room, r.readSeq, r.unread));
    }
  },
  sync: {
    usage: "sync",
    summary: "print what this profile has not seen yet, once (then remembers it)",
    args: [0, 0],
    standalone: true,
    async run(ctx) {
      const printer = new Printer(ctx.names, ctx.io.out, ctx.io.err);
      const follow = await followProfile(ctx, printer, { resyncMs: 0 });
      await follow.stop();
      const failure = follow.failure();
      if (failure) throw failure;
    }
  },
  listen: {
    usage: "listen [--for SECONDS]",
    summary: "print entries and events as they arrive (unseen ones first) until Ctrl-C",
    args: [0, 0],
    flags: ["for"],
    device: "desktop",
    live: true,
    standalone: true,
    async run(ctx, _args, flags) {
      const seconds = flags.for !== void 0 ? intArg("--for", flags.for, 1, 7 * 24 * 3600) : void 0;
      const printer = new Printer(ctx.names, ctx.io.out, ctx.io.err);
      let kicked;
      let stop;
      const stopped = new Promise((r) => stop = r);
      ctx.client.on("push", (p) => {
        if (p.op !== "chat.message") printer.then(async () => {
          const line = await pushRow(p, ctx.names);
          if (line) ctx.io.out(line);
        });
      });
      ctx.client.on("error-frame", (e) => {
        if (e?.code !== "kicked") return;
        kicked = new TroupeError("kicked", `${e.message ?? "kicked"} (another ${ctx.device} login of ${ctx.me.name}; use --device to pick another type)`);
        stop();
      });
      let offline = false;
      ctx.client.on("disconnected", (reason) => {
        if (!offline) ctx.io.err(`disconnected (${reason}); reconnecting`);
        offline = true;
      });
      ctx.client.on("reconnected", () => {
        offline = false;
        if (!ctx.client.token) {
          kicked = new TroupeError("session_expired", "the session expired: run troupe client login");
          stop();
        } else ctx.io.err("reconnected");
      });
      const follow = await followProfile(ctx, printer, { resyncMs: 2e4 });
      const saver = setInterval(() => void follow.save(), 5e3);
      const timer = seconds !== void 0 ? setTimeout(stop, seconds * 1e3) : void 0;
      const undo = ctx.io.onInterrupt(stop);
      await stopped;
      undo();
      clearInterval(saver);
      if (timer) clearTimeout(timer);
      await follow.stop().catch(() => follow.save());
      if (kicked) throw kicked;
    }
  }
};

// ops/client/friends.ts
function change(op, status, summary, verb) {
  return {
    usage: `${verb} <user>`,
    summary,
    args: [1, 1],
    async run(ctx, [name]) {
      const user = await ctx.names.user(name);
      await ctx.client.request(op, { user: user.id });
      ctx.io.out(row(user.name, status));
    }
  };
}
var friendCommands = {
  find: {
    usage: "find <prefix>",
    summary: "users whose name starts with the prefix",
    args: [1, 1],
    async run(ctx, [prefix]) {
      if (prefix.length > 32) throw usageError("a user name has at most 32 characters");
      const { users } = await ctx.client.request("users.find", { query: prefix, limit: 50 });
      for (const u of users) ctx.io.out(row(u.name, u.id));
    }
  },
  friends: {
    usage: "friends",
    summary: "friends, requests both ways and blocked users, with online state",
    args: [0, 0],
    async run(ctx) {
      const { friends } = await ctx.client.request("friends.list", {});
      for (const f of friends) ctx.io.out(row(f.user.name, f.status, f.online ? "online" : "offline", f.devices.join(",") || "-"));
    }
  },
  add: {
    usage: "add <user>",
    summary: "ask a user to be friends (accepts theirs if they asked first)",
    args: [1, 1],
    async run(ctx, [name]) {
      const user = await ctx.names.user(name);
      const { status } = await ctx.client.request("friends.request", { user: user.id });
      ctx.io.out(row(user.name, status));
    }
  },
  accept: change("friends.accept", "friend", "accept a friend request", "accept"),
  decline: change("friends.decline", "none", "decline a friend request (or withdraw yours)", "decline"),
  unfriend: change("friends.remove", "none", "end a friendship", "unfriend"),
  block: change("friends.block", "blocked", "block a user (no friendship, no direct messages)", "block"),
  unblock: change("friends.unblock", "none", "lift a block", "unblock"),
  presence: {
    usage: "presence <user...>",
    summary: "online state and devices of users",
    args: [1, 200],
    async run(ctx, names) {
      const users = [];
      for (const n of names) users.push(await ctx.names.user(n));
      const { presence } = await ctx.client.request("presence.query", { users: users.map((u) => u.id) });
      for (const p of presence) ctx.io.out(row(ctx.names.label(p.user), p.online ? "online" : "offline", p.devices.join(",") || "-", p.lastSeenAt ?? "-"));
    }
  }
};

// ops/client/mpv.ts
import { spawn, spawnSync } from "node:child_process";
import net from "node:net";
import fs2 from "node:fs";
import os2 from "node:os";
import path2 from "node:path";
function findMpv() {
  const r = spawnSync("sh", ["-c", "command -v mpv"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}
var Mpv = class _Mpv {
  constructor(child, dir2) {
    this.child = child;
    this.dir = dir2;
    this.exited = new Promise((r) => child.once("exit", (code) => r(code)));
  }
  child;
  dir;
  socket;
  nextId = 1;
  pending = /* @__PURE__ */ new Map();
  observers = /* @__PURE__ */ new Map();
  eventListeners = /* @__PURE__ */ new Set();
  exited;
  closed = false;
  static async start(opts = {}) {
    const bin = findMpv();
    if (!bin) throw new TroupeError("unavailable", "mpv is not installed: install the Debian package mpv (sudo apt-get install mpv)");
    const dir2 = fs2.mkdtempSync(path2.join(os2.tmpdir(), "troupe-mpv-"));
    const sock = path2.join(dir2, "ipc.sock");
    const args = [
      "--idle=yes",
      "--keep-open=yes",
      "--pause",
      "--no-terminal",
      `--input-ipc-server=${sock}`,
      // exact seeks (the room's position, not the nearest key frame) and a cache to ride out slow reads
      "--hr-seek=yes",
      "--cache=yes",
      "--demuxer-readahead-secs=20",
      `--title=${opts.title ?? "Troupe"}`,
      ...opts.headless ? ["--vo=null", "--ao=null"] : ["--force-window=yes"],
      ...opts.args ?? []
    ];
    const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (b) => stderr = (stderr + b.toString()).slice(-4e3));
    const mpv = new _Mpv(child, dir2);
    const deadline = Date.now() + 1e4;
    for (; ; ) {
      try {
        await mpv.connect(sock);
        return mpv;
      } catch {
        if (child.exitCode !== null || Date.now() > deadline) {
          child.kill("SIGKILL");
          fs2.rmSync(dir2, { recursive: true, force: true });
          throw new TroupeError("unavailable", `mpv did not open its IPC socket: ${stderr.trim() || `exit ${child.exitCode}`}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
  connect(sock) {
    return new Promise((resolve, reject) => {
      const s = net.connect(sock);
      s.once("error", reject);
      s.once("connect", () => {
        s.off("error", reject);
        this.socket = s;
        let buf = "";
        s.on("data", (d) => {
          const at = performance.timeOrigin + performance.now();
          buf += d.toString("utf8");
          for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            if (line) this.onLine(line, at);
          }
        });
        s.on("error", () => {
        });
        s.on("close", () => this.onClose());
        resolve();
      });
    });
  }
  onLine(line, at) {
    let m;
    try {
      m = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof m.request_id === "number" && this.pending.has(m.request_id)) {
      const p = this.pending.get(m.request_id);
      this.pending.delete(m.request_id);
      if (m.error === "success") p.resolve(m.data);
      else p.reject(new Error(`mpv: ${String(m.error)}`));
      return;
    }
    if (m.event === "property-change" && typeof m.id === "number") this.observers.get(m.id)?.fn(m.data ?? null, at);
    else if (typeof m.event === "string") for (const fn of this.eventListeners) fn(m);
  }
  onClose() {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new Error("mpv closed"));
    this.pending.clear();
  }
  get running() {
    return !this.closed && this.child.exitCode === null;
  }
  /** Runs an mpv command (`["set_property", "pause", true]`, `["seek", 12.5, "absolute+exact"]`…). */
  command(...args) {
    if (!this.running) return Promise.reject(new Error("mpv is not running"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(JSON.stringify({ command: args, request_id: id }) + "\n");
    });
  }
  /** Calls fn with every value of a property (and the local time the change arrived). */
  async observe(name, fn) {
    const id = this.observers.size + 1;
    this.observers.set(id, { name, fn });
    await this.command("observe_property", id, name);
  }
  onEvent(fn) {
    this.eventListeners.add(fn);
  }
  async quit() {
    if (this.running) {
      await this.command("quit").catch(() => {
      });
      const t = setTimeout(() => this.child.kill("SIGKILL"), 3e3);
      await this.exited;
      clearTimeout(t);
    }
    this.socket?.destroy();
    fs2.rmSync(this.dir, { recursive: true, force: true });
  }
};

// ops/client/mpv-sync.ts
var OWN_MS = 700;
var STARVED_MS = 6e3;
var MpvFollower = class _MpvFollower {
  constructor(mpv, session, events) {
    this.mpv = mpv;
    this.session = session;
    this.events = events;
  }
  mpv;
  session;
  events;
  state = initialSyncState();
  seen = { pos: 0, posAt: 0, paused: true, speed: 1, cacheWait: false, seeking: false, loaded: false, eof: false, fps: 0 };
  /** The file mpv has loaded, and the node it reads from. */
  file = null;
  node = null;
  expiresAt = 0;
  /**
   * To tell its user's actions from ours: changes of pause, and seeks, that mpv reports within
   * OWN_MS of our own command are ours (mpv may report them late, or coalesce two seeks in one).
   */
  ownPauseUntil = 0;
  ownSeekUntil = 0;
  userSeek = false;
  ticking = false;
  loop;
  wake;
  lastDecision = { target: 0, driftMs: null };
  /** Local time mpv began waiting for data while it should play (null: it is not). */
  starvedSince = null;
  onTimeline = () => void this.tick();
  static async start(session, opts = {}, events = {}) {
    const mpv = await Mpv.start(opts);
    const f = new _MpvFollower(mpv, session, events);
    await f.wire();
    return f;
  }
  async wire() {
    const s = this.seen;
    await this.mpv.observe("time-pos", (v, at) => {
      if (typeof v === "number") {
        s.pos = v * 1e3;
        s.posAt = at;
      }
    });
    await this.mpv.observe("pause", (v) => {
      s.paused = v === true;
      if (s.loaded && !s.eof && Date.now() > this.ownPauseUntil) {
        void (s.paused ? this.session.pause() : this.session.play()).catch((e) => this.events.problem?.(`${s.paused ? "pause" : "play"}: ${e.message}`));
      }
    });
    await this.mpv.observe("speed", (v) => {
      if (typeof v === "number") s.speed = v;
    });
    await this.mpv.observe("paused-for-cache", (v) => s.cacheWait = v === true);
    await this.mpv.observe("seeking", (v) => s.seeking = v === true);
    await this.mpv.observe("eof-reached", (v) => s.eof = v === true);
    await this.mpv.observe("container-fps", (v) => s.fps = typeof v === "number" && v > 0 ? v : 0);
    this.mpv.onEvent((e) => {
      if (e.event === "seek") {
        if (s.loaded && Date.now() > this.ownSeekUntil) this.userSeek = true;
      } else if (e.event === "playback-restart" && this.userSeek) {
        this.userSeek = false;
        void this.session.seek(s.pos).catch((err) => this.events.problem?.(`seek: ${err.message}`));
      } else if (e.event === "file-loaded") {
        s.loaded = true;
      } else if (e.event === "end-file" && e.reason === "error") {
        s.loaded = false;
        void this.reload(this.node ?? void 0);
      }
    });
    this.session.on("timeline", this.onTimeline);
    this.loop = setInterval(() => void this.tick(), 100);
  }
  /** The player as the sync rules see it (times in server time). */
  view() {
    const s = this.seen;
    return {
      position: s.pos,
      measuredAt: this.session.clock.serverAt(s.posAt || localNow()),
      paused: s.paused,
      rate: s.speed,
      buffering: s.cacheWait,
      seeking: s.seeking || !s.loaded,
      canPlay: s.loaded && !s.cacheWait && !s.seeking,
      ...s.fps ? { frameMs: 1e3 / s.fps } : {}
    };
  }
  /** Where the room is and how far off we are (for reports). */
  get drift() {
    return this.lastDecision;
  }
  /** Loads the room's movie from the media server it is placed on (`avoid`: one that failed). */
  async reload(avoid) {
    const tl = this.session.timeline;
    if (!tl?.media) return;
    let src;
    try {
      src = await this.session.source(avoid);
    } catch (e) {
      this.events.problem?.(`no source: ${e.message}`);
      return;
    }
    this.file = tl.media.file;
    this.node = src.node;
    this.expiresAt = Date.parse(src.expiresAt);
    const start = (this.session.timeline ? decide(this.state, this.session.timeline, this.session.serverNow(), this.view()).decision.target : 0) / 1e3;
    this.seen.loaded = false;
    this.ownSeekUntil = this.ownPauseUntil = Date.now() + OWN_MS;
    await this.mpv.command("loadfile", src.url, "replace", `start=${start.toFixed(3)},pause=yes`).catch((e) => this.events.problem?.(`loadfile: ${e.message}`));
    this.events.source?.(src.node, src.url);
  }
  /** One round: the movie to load, then what the sync rules say. */
  async tick() {
    if (this.ticking || !this.mpv.running) return;
    this.ticking = true;
    try {
      const tl = this.session.timeline;
      if (!tl) return;
      if ((tl.media?.file ?? null) !== this.file || this.expiresAt && Date.now() > this.expiresAt - 6e4) {
        if (tl.media) await this.reload();
        else {
          this.file = null;
          await this.mpv.command("stop").catch(() => {
          });
        }
        return;
      }
      if (!tl.media) return;
      await this.follow(tl);
    } finally {
      this.ticking = false;
    }
  }
  async follow(tl) {
    const starving = this.seen.cacheWait && tl.state === "playing";
    this.starvedSince = starving ? this.starvedSince ?? Date.now() : null;
    if (this.starvedSince !== null && Date.now() - this.starvedSince > STARVED_MS) {
      this.starvedSince = null;
      this.events.problem?.(`no data from ${this.node} for ${STARVED_MS / 1e3} s: reading from another media server`);
      await this.reload(this.node ?? void 0);
      return;
    }
    const now = this.session.serverNow();
    const r = decide(this.state, tl, now, this.view());
    this.state = r.state;
    const d = r.decision;
    this.lastDecision = { target: d.target, driftMs: d.driftMs };
    if (d.seekTo !== void 0) {
      this.ownSeekUntil = Date.now() + OWN_MS;
      await this.mpv.command("seek", d.seekTo / 1e3, "absolute+exact").catch(() => {
      });
    }
    if (this.seen.paused !== !d.play) {
      this.ownPauseUntil = Date.now() + OWN_MS;
      await this.mpv.command("set_property", "pause", !d.play).catch(() => {
      });
    }
    if (Math.abs(this.seen.speed - d.rate) > 5e-4) await this.mpv.command("set_property", "speed", d.rate).catch(() => {
    });
    if (d.report) {
      const { type, epoch } = d.report;
      void (type === "ready" ? this.session.ready(epoch) : this.session.stall(epoch)).catch((e) => this.events.problem?.(`${type}: ${e.message}`));
    }
    if (d.wakeAt !== null) {
      if (this.wake) clearTimeout(this.wake);
      const inMs = d.wakeAt - now;
      if (inMs > 0 && inMs < 100) this.wake = setTimeout(() => void this.tick(), inMs);
    }
  }
  async stop() {
    if (this.loop) clearInterval(this.loop);
    if (this.wake) clearTimeout(this.wake);
    this.session.off("timeline", this.onTimeline);
    await this.mpv.quit();
  }
};

// ops/client/watch.ts
function libraryRow(i) {
  return row(i.file, i.title, i.durationMs ? clockText(i.durationMs) : "-", i.size, i.contentType, i.addedBy.name);
}
function timelineRow(t, name) {
  return row("timeline", t.state, clockText(t.position), t.media?.title ?? "-", t.cause ?? "-", t.by !== void 0 ? name(t.by) : "-");
}
var watchHelp = "commands: play | pause | seek <time> | rate <r> | load <library file id | #seq | title words> | library [query] | who | status | quit";
async function command(ctx, s, f, line) {
  const [word, ...rest] = line.trim().split(/\s+/);
  const arg = rest.join(" ");
  switch (word) {
    case "":
      return;
    case "quit":
    case "exit":
      return "quit";
    case "play":
      await s.play();
      return;
    case "pause":
      await s.pause();
      return;
    case "seek":
      await s.seek(parseClock(arg));
      return;
    case "rate": {
      const r = Number(arg);
      if (!(r >= 0.25 && r <= 4)) throw usageError("rate: a number from 0.25 to 4");
      await s.setRate(r);
      return;
    }
    case "load": {
      if (!arg) throw usageError("load <library file id | #seq of a shared file | title words>");
      if (/^#\d+$/.test(arg)) await s.load({ entry: intArg("seq", arg.slice(1), 1) });
      else {
        const { items } = await ctx.client.request("library.list", { query: arg, limit: 2 });
        const exact = items.find((i) => i.file === arg);
        const pick = exact ?? (items.length === 1 ? items[0] : void 0);
        if (!pick) {
          const byId = /^[A-Za-z0-9_]+-[0-9a-z]+-[a-z2-7]{12}$/.test(arg);
          if (!byId) throw new TroupeError("not_found", items.length ? `"${arg}" matches several movies: use the file id (library ${arg})` : `no movie in the library matches "${arg}"`);
        }
        await s.load({ library: pick?.file ?? arg });
      }
      return;
    }
    case "library": {
      const { items } = await ctx.client.request("library.list", { query: arg, limit: 50 });
      for (const i of items) ctx.io.out(libraryRow(i));
      return;
    }
    case "who":
      ctx.io.out(row("viewers", ...s.viewers.map((v) => `${v.name}:${v.status}`)));
      return;
    case "status": {
      const { target, driftMs } = f.drift;
      ctx.io.out(row("status", s.timeline?.state ?? "-", clockText(target), driftMs === null ? "-" : Math.round(driftMs), f.node ?? "-"));
      return;
    }
    case "help":
      ctx.io.err(watchHelp);
      return;
    default:
      throw usageError(`unknown command "${word}"; ${watchHelp}`);
  }
}
var watchCommands = {
  library: {
    usage: "library [query...]",
    summary: "the public movie library (search by title)",
    args: [0, Infinity],
    flags: ["limit"],
    async run(ctx, words, flags) {
      const limit = flags.limit !== void 0 ? intArg("--limit", flags.limit, 1, 200) : 50;
      const { items } = await ctx.client.request("library.list", { query: words.join(" "), limit });
      for (const i of items) ctx.io.out(libraryRow(i));
    }
  },
  watch: {
    room: true,
    usage: "watch <room> [--headless] [--for SECONDS]",
    summary: "watch the room's movie in mpv, in sync with everyone; commands on stdin",
    args: [1, 1],
    flags: ["headless", "for"],
    device: "desktop",
    live: true,
    standalone: true,
    async run(ctx, [roomArg], flags) {
      const seconds = flags.for !== void 0 ? intArg("--for", flags.for, 1, 7 * 24 * 3600) : void 0;
      const t = await ctx.names.target(roomArg);
      const session = new WatchSession(ctx.client, t.room);
      await about(t, () => session.join());
      const name = (id) => session.viewers.find((v) => v.user === id)?.name ?? `#${id}`;
      const printed = { timeline: "", viewers: "" };
      const print = (what, line) => {
        if (printed[what] !== line) ctx.io.out(printed[what] = line);
      };
      session.on("timeline", (tl) => {
        if (!printed.timeline.startsWith(`timeline	${tl.state}	${clockText(tl.position)}	`)) print("timeline", timelineRow(tl, name));
      });
      session.on("viewers", (v) => print("viewers", row("viewers", ...v.map((x) => `${x.name}:${x.status}`))));
      let follower;
      try {
        follower = await MpvFollower.start(session, { headless: flags.headless === true, title: `Troupe: ${t.label}` }, {
          source: (node) => ctx.io.out(row("source", node)),
          problem: (what) => ctx.io.err(what)
        });
      } catch (e) {
        await session.leave();
        throw e;
      }
      if (session.timeline && !printed.timeline) print("timeline", timelineRow(session.timeline, name));
      ctx.io.err(watchHelp);
      let stop;
      const stopped = new Promise((r) => stop = r);
      session.on("left", (reason) => stop(`you no longer watch this room (${reason})`));
      void follower.mpv.exited.then(() => stop());
      const reports = setInterval(() => {
        const { driftMs } = follower.drift;
        const status = session.viewers.find((v) => v.viewer === session.viewer)?.status ?? "loading";
        if (driftMs !== null) void session.report(follower.view().position, Math.round(driftMs * 10) / 10, status).catch(() => {
        });
      }, 2e3);
      const timer = seconds !== void 0 ? setTimeout(() => stop(), seconds * 1e3) : void 0;
      const undo = ctx.io.onInterrupt(() => stop());
      let queue = Promise.resolve();
      const closeInput = onLines(ctx.io, (line) => {
        queue = queue.then(async () => {
          try {
            if (await command(ctx, session, follower, line) === "quit") stop();
          } catch (e) {
            ctx.io.err(e instanceof TroupeError ? `${e.code}: ${e.message}` : e.message);
          }
        });
      });
      const why = await stopped;
      closeInput();
      undo();
      clearInterval(reports);
      if (timer) clearTimeout(timer);
      await follower.stop();
      await session.leave();
      if (why) ctx.io.err(why);
    }
  }
};

// ops/client/commands.ts
var scriptedCommands = {
  ...accountCommands,
  ...roomCommands,
  ...messageCommands,
  ...friendCommands,
  ...watchCommands
};

// ops/client/chat.ts
import { parseArgs } from "node:util";

// ops/client/words.ts
function splitWords(line) {
  const words = [];
  let word = "";
  let inWord = false;
  let quote;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = void 0;
      else if (c === "\\" && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw usageError(`unterminated ${quote} quote`);
  if (inWord) words.push(word);
  return words;
}

// ops/client/screen.ts
import readline2 from "node:readline";
var Screen = class {
  constructor(io, hooks) {
    this.io = io;
    this.hooks = hooks;
    this.rl = readline2.createInterface({ input: io.input, output: io.terminal ? io.output : void 0, terminal: io.terminal, prompt: "troupe> " });
    this.rl.on("line", (line) => this.submitted(line));
    this.rl.on("close", () => this.end());
    this.rl.on("SIGINT", () => hooks.onInterrupt());
    if (io.terminal) {
      const rl = this.rl;
      const write = rl._writeToOutput.bind(this.rl);
      rl._writeToOutput = (s) => {
        if (!this.muted) write(s);
      };
      io.input.on("keypress", (s, key) => {
        if (!s || key?.ctrl || key?.meta || key?.name === "return" || key?.name === "enter") return;
        hooks.onTyping(this.rl.line);
      });
    }
  }
  io;
  hooks;
  rl;
  lines = [];
  waiter;
  ended = false;
  muted = false;
  printing = Promise.resolve();
  /** No more prompts (quitting). */
  quiet = false;
  get terminal() {
    return this.io.terminal;
  }
  /** The next input line; null at the end of input. */
  next() {
    if (this.lines.length) return Promise.resolve(this.lines.shift());
    if (this.ended) return Promise.resolve(null);
    return new Promise((r) => this.waiter = r);
  }
  /** Stops reading: next() answers null from now on. */
  end() {
    this.ended = true;
    this.waiter?.(null);
    this.waiter = void 0;
  }
  close() {
    this.end();
    this.rl.close();
  }
  /** Asks a question and waits for the next line (a hidden answer on a terminal). */
  async ask(question, hidden = false) {
    if (this.io.terminal) {
      this.io.output.write(question);
      this.muted = hidden;
    }
    const answer = await this.next();
    if (this.muted) this.io.output.write("\n");
    this.muted = false;
    return answer;
  }
  /** Prints a line above the one being typed. */
  say(line) {
    if (!this.io.terminal) {
      this.io.out(line);
      return;
    }
    readline2.clearLine(this.io.output, 0);
    readline2.cursorTo(this.io.output, 0);
    this.io.output.write(line + "\n");
    if (!this.quiet) this.rl.prompt(true);
  }
  /** Prints in the order asked, each line once its work (say, looking up names) is done. */
  later(work) {
    this.printing = this.printing.then(work).then((line) => {
      if (line !== void 0) this.say(line);
    }, (e) => this.say(`! ${e.message}`));
  }
  /** Resolves when everything asked of later() is printed. */
  drained() {
    return this.printing;
  }
  prompt(text) {
    if (!this.io.terminal || this.quiet) return;
    this.rl.setPrompt(text);
    this.rl.prompt(true);
  }
  submitted(line) {
    if (this.io.terminal && this.hooks.echoes(line)) {
      const width = this.io.output.columns;
      const cols = width && width > 0 ? width : 80;
      const rows = Math.max(1, Math.ceil((this.rl.getPrompt().length + line.length) / cols));
      readline2.moveCursor(this.io.output, 0, -rows);
      readline2.clearScreenDown(this.io.output);
    }
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = void 0;
      w(line);
    } else this.lines.push(line);
  }
};

// ops/client/conversations.ts
var Conversations = class {
  constructor(names) {
    this.names = names;
  }
  names;
  rooms = /* @__PURE__ */ new Map();
  /** Room ids in the order of the last list shown. */
  listed = [];
  /** Takes rooms.list as the truth; returns the lines that show it, numbered. */
  list(conversations) {
    this.listed = [];
    const lines = [];
    for (const c of conversations) {
      if (c.room.peer) this.names.learn(c.room.peer);
      const label = conversationLabel(c.room);
      const old = this.rooms.get(c.room.id);
      this.rooms.set(c.room.id, { label, kind: c.room.kind, ...c.room.peer ? { peer: c.room.peer } : {}, lastSeq: Math.max(c.lastSeq, old?.lastSeq ?? 0), unread: c.unread });
      this.listed.push(c.room.id);
      const unread = c.unread ? `  ${c.unread} unread` : "";
      const when = c.lastAt ? `  ${shortTime(c.lastAt)}` : "";
      lines.push(`  ${this.listed.length}. ${label}  [${c.room.id}]${unread}${when}  ${preview(c.lastPreview, 50)}`);
    }
    return lines;
  }
  /** A number from the last list, or a room we know, as a target (undefined: ask the server). */
  known(arg) {
    if (/^\d+$/.test(arg)) {
      const id = this.listed[Number(arg) - 1];
      if (!id) throw usageError(`no conversation number ${arg} (/rooms lists them)`);
      arg = id;
    }
    const info = this.rooms.get(arg);
    return info ? { room: arg, label: info.label, kind: info.kind, ...info.peer ? { peer: info.peer } : {} } : void 0;
  }
  /** A target with the room's name instead of its id, when we know it. */
  named(t) {
    const info = this.rooms.get(t.room);
    return info && t.kind === "group" ? { ...t, label: info.label } : t;
  }
  /** A group room we just got into; false when it was known already. */
  joined(id, name) {
    if (this.rooms.has(id)) return false;
    this.rooms.set(id, { label: name, kind: "group", lastSeq: 0, unread: 0 });
    return true;
  }
  /** Forgets a room we are no longer in; returns what it was called. */
  left(id) {
    const label = this.rooms.get(id)?.label ?? id;
    this.rooms.delete(id);
    return label;
  }
  /** The room was shown up to seq: nothing unread there. */
  opened(room, seq) {
    const info = this.rooms.get(room);
    if (!info) return;
    info.unread = 0;
    info.lastSeq = Math.max(info.lastSeq, seq);
  }
  /** Read on another device of mine up to seq. */
  readElsewhere(room, seq) {
    const info = this.rooms.get(room);
    if (info && seq >= info.lastSeq) info.unread = 0;
  }
  /**
   * An entry of a room that is not open. Returns the notice to show (once names are loaded) when
   * it is a new message from someone else, undefined when it is no news.
   */
  arrived(e) {
    const me = this.names.me.id;
    let info = this.rooms.get(e.room);
    if (!info) {
      info = { label: e.room, kind: directPeer(e.room, me) === void 0 ? "group" : "direct", lastSeq: 0, unread: 0 };
      this.rooms.set(e.room, info);
    }
    if (e.seq <= info.lastSeq) return void 0;
    info.lastSeq = e.seq;
    if (e.kind !== "text" || e.from === me) return void 0;
    info.unread++;
    const room = info;
    const unread = info.unread;
    return async () => {
      await this.names.loadRoom(e.room, [e.from]);
      if (room.kind === "direct" && room.label === e.room) room.label = `@${this.names.label(directPeer(e.room, me))}`;
      return `* [${room.label}] ${this.names.label(e.from)}: ${preview(e.body)}  (${unread} unread)`;
    };
  }
};

// ops/client/chat.ts
var PAGE = 20;
var TYPING_EVERY_MS = 3e3;
var TYPING_SHOWN_MS = 5e3;
var help = `Plain lines are sent to the open conversation. Commands:
  /rooms                     your conversations (numbered for /open)
  /open <room|@user|number>  open a conversation and show its last messages
  /more                      earlier messages of the open conversation
  /who                       members of the open room
  /friends                   friends and requests (/add, /accept, /decline, /unfriend NAME)
  /join <room>               join an open room (/discover lists them)
  /create <name> [--open] [--description D] [--member NAME ...]
  /invite <user>             add someone to the open room
  /leave [room]              leave the open room (or the one named)
  /edit <seq> <text>         edit your message #seq
  /recall <seq>              recall your message #seq
  /help, /quit
Every other troupe client command works as /command too; the room may be left out (the open one).`;
var ChatUi = class {
  constructor(env, opts) {
    this.env = env;
    this.opts = opts;
    this.screen = new Screen(env.io, {
      onTyping: (line) => this.typing(line),
      onInterrupt: () => void this.quit(0),
      // a message typed on a terminal comes back in sequence, with its number
      echoes: (line) => Boolean(this.current && line.trim() && !line.startsWith("/") && !this.starting)
    });
  }
  env;
  opts;
  screen;
  ctx;
  session;
  conversations;
  current;
  shownUpTo = 0;
  oldest = 0;
  more = false;
  /** The room being opened, and its entries that arrive while its history loads. */
  opening;
  starting = true;
  readSent = /* @__PURE__ */ new Map();
  readTimer;
  typingSentAt = 0;
  typers = /* @__PURE__ */ new Map();
  typingShown = /* @__PURE__ */ new Map();
  online = /* @__PURE__ */ new Map();
  saver;
  /** While /create or /join runs: its rooms.joined push is no news. */
  joining = 0;
  quitting;
  exitCode = 0;
  /** Runs until /quit, the end of input, Ctrl-C, or a kick; resolves with the exit code. */
  async run() {
    const undo = this.env.io.onInterrupt(() => void this.quit(0));
    try {
      this.ctx = await this.logIn();
      await this.startSession();
      await this.showRooms();
      if (this.opts.open) await this.guard(() => this.open(this.opts.open));
      this.say(this.current ? "Type a message, or /help." : "Open a conversation with /open <room|@user|number>; /help lists the commands.");
      this.prompt();
      for (; ; ) {
        const line = await this.screen.next();
        if (line === null || this.quitting) break;
        await this.guard(() => this.handle(line));
        if (this.quitting) break;
        this.prompt();
      }
      await this.quit(this.exitCode);
      return this.exitCode;
    } catch (e) {
      await this.quit(1);
      throw e;
    } finally {
      undo();
      this.screen.close();
    }
  }
  // ---- start ----
  async ask(question, hidden = false) {
    const answer = await this.screen.ask(question, hidden);
    if (answer === null || !answer.trim()) throw new TroupeError("unauthenticated", "not logged in: no name or password given");
    return hidden ? answer : answer.trim();
  }
  async logIn() {
    const opts = { reconnect: true, heartbeatMs: 3e4 };
    if (this.env.profile.load()) {
      try {
        return await connectSaved(this.env, opts);
      } catch (e) {
        if (!(e instanceof TroupeError && e.code === "session_expired")) throw e;
        this.say(`! ${e.message}`);
      }
    }
    const name = await this.ask("name: ");
    const password = this.opts.password ?? this.env.env.TROUPE_PASSWORD ?? await this.ask("password: ", true);
    const url = urlFor(this.env);
    const client = await connectClient(this.env, opts);
    try {
      const me = await client.login(name, password);
      this.env.profile.saveSession({ url, token: client.token, user: me, expiresAt: "" });
      return { ...this.env, client, me, names: new Names(client, me) };
    } catch (e) {
      await client.close();
      throw e;
    }
  }
  async startSession() {
    const { client, me, profile } = this.ctx;
    this.ctx = { ...this.ctx, io: this.screenIo() };
    this.conversations = new Conversations(this.ctx.names);
    this.say(`logged in as ${me.name} (id ${me.id}) over ${client.url}`);
    client.on("push", (p) => this.onPush(p));
    let offline = false;
    client.on("disconnected", (reason) => {
      if (!offline && !this.quitting) this.say(`! connection lost (${reason}); reconnecting\u2026`);
      offline = true;
    });
    client.on("reconnected", () => {
      offline = false;
      if (client.token) this.say("* reconnected");
      else {
        this.say("! the session expired: log in again (troupe client login)");
        void this.quit(1);
      }
    });
    client.on("error-frame", (e) => {
      if (e?.code !== "kicked") return;
      void client.close();
      this.say(`! kicked: ${e.message ?? ""} (another ${this.env.device} login of ${me.name}; use --device to pick another type)`);
      void this.quit(1);
    });
    this.session = new ChatSession(client, { cursors: profile.cursors() });
    this.session.on("entry", (e) => this.onEntry(e));
    this.session.on("error", (e) => {
      if (!(e instanceof TroupeError && e.code === "unavailable")) this.say(`! catching up failed (${e.message}); trying again after the next reconnect`);
    });
    await this.session.start();
    this.starting = false;
    this.saver = setInterval(() => profile.saveCursors(this.session.cursors), 5e3);
    this.saver.unref();
  }
  /** Output of /commands goes through the screen (TABs of scripted rows shown as spaces). */
  screenIo() {
    return { ...this.env.io, out: (line) => this.say(line.replace(/\t/g, "  ")), err: (line) => this.say(line) };
  }
  // ---- output ----
  say(line) {
    this.screen.say(line);
  }
  sayLater(work) {
    this.screen.later(work);
  }
  prompt() {
    if (!this.ctx) return;
    const typing = [...this.typers.keys()].map((u) => this.ctx.names.label(u));
    const who = typing.length ? ` (${typing.join(", ")} typing\u2026)` : "";
    this.screen.prompt(`${this.current?.label ?? "troupe"}${who}> `);
  }
  async guard(work) {
    try {
      await work();
    } catch (e) {
      if (e instanceof TroupeError) this.say(`! ${e.code}: ${e.message}`);
      else if (e instanceof ConfigError) this.say(`! ${e.message}`);
      else this.say(`! ${e.message ?? e}`);
    }
  }
  // ---- input ----
  /** A key typed into a message: tell the open room, at most every few seconds. */
  typing(line) {
    if (!this.current || this.starting || this.quitting || line.startsWith("/")) return;
    const now = Date.now();
    if (now - this.typingSentAt < TYPING_EVERY_MS) return;
    this.typingSentAt = now;
    this.ctx.client.request("chat.typing", { room: this.current.room }).catch(() => {
    });
  }
  async handle(line) {
    const text = line.trim();
    if (!text) return;
    if (!text.startsWith("/")) return this.send(line);
    const [, name, rest = ""] = /^\/(\S+)\s*([\s\S]*)$/.exec(text);
    switch (name) {
      case "quit":
      case "exit":
      case "q":
        return this.quit(0);
      case "help":
      case "?":
        return this.say(help);
      case "rooms":
        return this.showRooms();
      case "open":
        if (!rest) return this.say(this.current ? `open: ${this.current.label} (${this.current.room})` : "nothing open: /open <room|@user|number>");
        return this.open(splitWords(rest).join(" "));
      case "more":
        return this.showMore();
      case "who":
        return this.who();
      case "friends":
        return this.friends();
      case "join": {
        const [arg, ...extra] = splitWords(rest);
        if (!arg || extra.length) throw usageError("usage: /join <room>");
        const room = await this.quietly(() => joinRoom(this.ctx, arg));
        this.conversations.joined(room.id, room.name);
        return this.open(room.id);
      }
      case "create": {
        const { positionals, flags } = this.parseLine("create", rest);
        const room = await this.quietly(() => createRoom(this.ctx, positionals, flags));
        this.conversations.joined(room.id, room.name);
        return this.open(room.id);
      }
      case "leave": {
        const t = rest ? await this.target(splitWords(rest).join(" ")) : this.needOpen();
        if (t.kind === "direct") throw new TroupeError("forbidden", "a direct conversation cannot be left (/block the user instead)");
        await about(t, () => this.ctx.client.request("rooms.leave", { room: t.room }));
        this.conversations.left(t.room);
        if (this.current?.room === t.room) this.current = void 0;
        return this.say(`* you left ${t.label}`);
      }
      case "edit": {
        const t = this.needOpen();
        const m = /^(\S+)\s+([\s\S]+)$/.exec(rest);
        if (!m) throw usageError("usage: /edit <seq> <text>");
        const seq = intArg("seq", m[1].replace(/^#/, ""), 1);
        await about(t, () => this.session.edit(t.room, seq, messageBody([m[2]])));
        return;
      }
      case "recall": {
        const t = this.needOpen();
        const seq = intArg("seq", rest.replace(/^#/, ""), 1);
        await about(t, () => this.session.recall(t.room, seq));
        return;
      }
      default:
        return this.runScripted(name, rest);
    }
  }
  async quietly(work) {
    this.joining++;
    try {
      return await work();
    } finally {
      this.joining--;
    }
  }
  parseLine(name, rest) {
    try {
      const { values, positionals } = parseArgs({ args: splitWords(rest), options: clientFlags, allowPositionals: true, strict: true });
      return { positionals, flags: values };
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw usageError(`/${name}: ${e.message.replace(/\. To specify a positional argument.*$/s, "")}`);
    }
  }
  /** Any scripted command, on this connection; a missing room argument means the open one. */
  async runScripted(name, rest) {
    const spec = scriptedCommands[name];
    if (!spec || spec.standalone || !("run" in spec)) throw usageError(`unknown command /${name} (/help lists them)`);
    const { positionals, flags } = this.parseLine(name, rest);
    if (spec.room && positionals.length < spec.args[0] && this.current) positionals.unshift(this.current.room);
    checkArgs(`/${name}`, spec, positionals, flags);
    await spec.run(this.ctx, positionals, flags);
  }
  // ---- conversations ----
  needOpen() {
    if (!this.current) throw usageError("open a conversation first: /open <room|@user|number> (/rooms lists them)");
    return this.current;
  }
  async target(arg) {
    return this.conversations.known(arg) ?? this.conversations.named(await this.ctx.names.target(arg));
  }
  async showRooms() {
    const { conversations } = await this.ctx.client.request("rooms.list", { limit: 100 });
    const lines = this.conversations.list(conversations);
    if (!lines.length) return this.say("No conversations yet: /open @user to talk to someone, /create or /join a room.");
    this.say("Conversations:");
    for (const line of lines) this.say(line);
  }
  async open(arg) {
    const t = await this.target(arg);
    this.opening = { room: t.room, held: [] };
    let page = { messages: [], more: false };
    try {
      page = await about(t, () => this.ctx.client.request("chat.history", { room: t.room, limit: PAGE }));
    } catch (e) {
      if (!(e instanceof TroupeError && e.code === "not_found" && t.kind === "direct")) {
        this.opening = void 0;
        throw e;
      }
    }
    const held = this.opening?.held ?? [];
    this.opening = void 0;
    this.current = t;
    this.clearTypers();
    this.more = page.more;
    this.oldest = page.messages[0]?.seq ?? 0;
    this.shownUpTo = page.messages.at(-1)?.seq ?? 0;
    await this.screen.drained();
    this.say(`--- ${t.label} (${t.room}) ---`);
    await this.printPage(page.messages);
    if (!page.messages.length) this.say("(no messages yet)");
    for (const e of held) this.show(e);
    this.conversations.opened(t.room, this.shownUpTo);
    this.prompt();
    this.markRead();
  }
  /** History shows messages as they stand; the edit and recall entries themselves would only repeat that. */
  async printPage(entries) {
    if (!entries.length) return;
    await this.ctx.names.loadRoom(entries[0].room, entries.flatMap(mentioned));
    for (const e of entries) if (e.kind !== "edit" && e.kind !== "recall") this.say(entryLine(e, this.ctx.names.label));
  }
  async showMore() {
    const t = this.needOpen();
    if (!this.more || this.oldest <= 1) return this.say("-- no earlier messages --");
    const page = await about(t, () => this.ctx.client.request("chat.history", { room: t.room, before: this.oldest, limit: PAGE }));
    if (!page.messages.length) return this.say("-- no earlier messages --");
    this.say(`-- earlier: #${page.messages[0].seq} to #${page.messages.at(-1).seq} --`);
    await this.printPage(page.messages);
    this.oldest = page.messages[0].seq;
    this.more = page.more;
    this.say(page.more ? "-- /more for earlier --" : "-- that is the beginning --");
  }
  async who() {
    const t = this.needOpen();
    const { members } = await about(t, () => this.ctx.client.request("rooms.members", { room: t.room }));
    this.ctx.names.learn(...members.map((m) => m.user));
    this.say(`Members of ${t.label}:`);
    for (const m of members) this.say(`  ${m.user.name}  ${m.role}${m.online ? "  online" : ""}  read to #${m.readSeq}`);
  }
  async friends() {
    const { friends } = await this.ctx.client.request("friends.list", {});
    if (!friends.length) return this.say("No friends yet: /add <user>");
    const what = { friend: "friend", incoming: "wants to be friends (/accept or /decline)", outgoing: "asked, no answer yet", blocked: "blocked", none: "" };
    for (const f of friends) {
      this.ctx.names.learn(f.user);
      this.say(`  ${f.user.name}  ${what[f.status]}${f.online ? `  online (${f.devices.join(", ")})` : ""}`);
    }
  }
  // ---- messages ----
  async send(line) {
    const t = this.needOpen();
    const body = messageBody([line]);
    const clientMsgId = newClientMsgId();
    await about(t, () => withRetry(this.ctx.client, () => this.session.send(sendTarget(t), clientMsgId, body, { timeoutMs: 1e4 })));
    this.typingSentAt = 0;
  }
  onEntry(e) {
    if (this.starting) return;
    if (this.opening?.room === e.room) {
      this.opening.held.push(e);
      return;
    }
    if (this.current?.room === e.room) {
      this.show(e);
      this.conversations.opened(e.room, e.seq);
      return;
    }
    const notice = this.conversations.arrived(e);
    if (notice) this.sayLater(notice);
  }
  /** An entry of the open conversation, once. */
  show(e) {
    if (e.seq <= this.shownUpTo) return;
    this.shownUpTo = e.seq;
    if (!this.oldest) this.oldest = e.seq;
    const typer = this.typers.get(e.from);
    if (typer && e.kind === "text") {
      clearTimeout(typer);
      this.typers.delete(e.from);
      this.prompt();
    }
    this.sayLater(async () => {
      await this.ctx.names.loadRoom(e.room, mentioned(e));
      return entryLine(e, this.ctx.names.label);
    });
    this.markRead();
  }
  /** Marks the open conversation read up to what was shown (batched). */
  markRead() {
    if (this.readTimer || !this.current) return;
    this.readTimer = setTimeout(() => {
      this.readTimer = void 0;
      const t = this.current;
      if (!t || this.shownUpTo <= (this.readSent.get(t.room) ?? 0)) return;
      const seq = this.shownUpTo;
      this.readSent.set(t.room, seq);
      this.ctx.client.request("chat.read", { room: t.room, seq }).catch(() => this.readSent.delete(t.room));
    }, 300);
  }
  // ---- pushes ----
  onPush(p) {
    const names = this.ctx.names;
    switch (p.op) {
      case "chat.typing": {
        const user = Number(p.user);
        if (p.room !== this.current?.room || user === this.ctx.me.id) return;
        if (this.screen.terminal) {
          clearTimeout(this.typers.get(user));
          this.typers.set(user, setTimeout(() => {
            this.typers.delete(user);
            this.prompt();
          }, TYPING_SHOWN_MS));
          void names.loadRoom(String(p.room), [user]).then(() => this.prompt());
        } else {
          const key = `${p.room}:${user}`;
          if (Date.now() - (this.typingShown.get(key) ?? 0) < TYPING_SHOWN_MS) return;
          this.typingShown.set(key, Date.now());
          this.sayLater(async () => {
            await names.loadRoom(String(p.room), [user]);
            return `~ ${names.label(user)} is typing\u2026`;
          });
        }
        return;
      }
      case "chat.read": {
        const user = Number(p.user);
        if (user === this.ctx.me.id) return this.conversations.readElsewhere(String(p.room), Number(p.seq));
        if (this.current && p.room === this.current.room && this.current.kind === "direct") this.say(`  (seen by ${names.label(user)} up to #${p.seq})`);
        return;
      }
      case "rooms.joined": {
        const r = p.room;
        if (r.kind === "direct" || !this.conversations.joined(r.id, r.name)) return;
        if (!this.joining) this.say(`* you are now in ${r.name} [${r.id}] (/open ${r.id})`);
        return;
      }
      case "rooms.left": {
        const room = String(p.room);
        const label = this.conversations.left(room);
        if (p.reason === "kicked") this.say(`* you were removed from ${label}`);
        if (this.current?.room === room) {
          this.current = void 0;
          this.prompt();
        }
        return;
      }
      case "friends.update": {
        const u = p.user;
        names.learn(u);
        const says = {
          incoming: `${u.name} wants to be friends (/accept ${u.name} or /decline ${u.name})`,
          friend: `${u.name} and you are friends`,
          none: `${u.name} is not a friend (any more)`
        };
        if (says[String(p.status)]) this.say(`* ${says[String(p.status)]}`);
        return;
      }
      case "presence": {
        const user = Number(p.user);
        if (this.current?.peer?.id !== user) return;
        const was = this.online.get(user);
        this.online.set(user, Boolean(p.online));
        if (was !== Boolean(p.online)) this.say(`* ${names.label(user)} is ${p.online ? "online" : "offline"}`);
        return;
      }
    }
  }
  clearTypers() {
    for (const t of this.typers.values()) clearTimeout(t);
    this.typers.clear();
  }
  // ---- end ----
  quit(code) {
    this.exitCode = Math.max(this.exitCode, code);
    this.quitting ??= (async () => {
      this.screen.quiet = true;
      this.screen.end();
      if (this.saver) clearInterval(this.saver);
      if (this.readTimer) clearTimeout(this.readTimer);
      this.clearTypers();
      if (this.ctx) {
        this.session?.stop();
        await this.screen.drained();
        if (this.session) {
          await this.session.flush();
          this.ctx.profile.saveCursors(this.session.cursors);
        }
        await this.ctx.client.close();
      }
    })();
    return this.quitting;
  }
};
var chatCommand = {
  usage: "chat [room|@user]",
  summary: "interactive: your conversations, live messages, history, /commands",
  args: [0, 1],
  flags: ["password"],
  device: "desktop",
  standalone: true,
  async alone(env, [open], flags) {
    return new ChatUi(env, { open, password: flags.password }).run();
  }
};

// ops/client/run.ts
var clientCommands = { ...scriptedCommands, chat: chatCommand };
var usage = clientUsage(clientCommands);
async function runClient(parsed, io, env = process.env) {
  const [name, ...args] = parsed.positionals;
  const spec = name ? clientCommands[name] : void 0;
  if (!spec) {
    io.err(name ? `unknown client command "${name}"

Usage: ${usage}` : `Usage: ${usage}`);
    return 2;
  }
  const flags = parsed.flags;
  checkArgs(name, spec, args, flags);
  const { config } = parsed;
  const base = {
    // only what was given: a profile remembers where it logged in (urlFor decides)
    url: givenUrl(parsed),
    failover: config.failover,
    profile: new Profile(config.clientHome, config.profile),
    io,
    env,
    device: deviceOf(flags, spec.device ?? "cli")
  };
  if ("alone" in spec) return await spec.alone(base, args, flags) ?? 0;
  const ctx = await connectSaved(base, { reconnect: true, heartbeatMs: spec.live ? 3e4 : 0 });
  try {
    return await spec.run(ctx, args, flags) ?? 0;
  } finally {
    await ctx.client.close();
  }
}

export {
  processIo,
  Profile,
  clientFlags,
  givenUrl,
  connectClient,
  clientDescription,
  usage,
  runClient
};
