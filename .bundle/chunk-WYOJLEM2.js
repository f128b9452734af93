import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  ConfigError
} from "./chunk-DBBPO6IK.js";

// ops/client/format.ts
function esc(text) {
  return text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}
function row(...fields) {
  return fields.map((f) => typeof f === "number" ? String(f) : esc(f)).join("	");
}
function isoTime(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
function shortTime(ms, now = Date.now()) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, "0");
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return new Date(now).toDateString() === d.toDateString() ? hm : `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}
function describeSystem(e, label) {
  const d = e.data ?? {};
  const who = (id) => id ? label(id) : "the system";
  switch (d.event) {
    case "created":
      return `${who(d.by)} created the room "${d.name ?? ""}"`;
    case "joined":
      return `${who(d.user)} joined`;
    case "invited":
      return d.by ? `${who(d.by)} added ${who(d.user)}` : `${who(d.user)} was added`;
    case "left":
      return `${who(d.user)} left${d.owner ? `; ${who(d.owner)} is now the owner` : ""}`;
    case "kicked":
      return `${who(d.by)} removed ${who(d.user)}${d.owner ? `; ${who(d.owner)} is now the owner` : ""}`;
    case "role":
      return `${who(d.by)} made ${who(d.user)} ${d.role === "admin" ? "an admin" : "a member"}`;
    case "updated": {
      const parts = [];
      if (d.name !== void 0) parts.push(`renamed the room to "${d.name}"`);
      if (d.description !== void 0) parts.push("changed the description");
      if (d.open !== void 0) parts.push(d.open ? "opened the room to anyone" : "made the room invitation-only");
      return `${who(d.by)} ${parts.join(", ") || "changed the room"}`;
    }
    default:
      return e.body || `[${d.event ?? "event"}]`;
  }
}
function entryRow(e, label) {
  const from = e.from ? label(e.from) : "-";
  let kind = e.kind;
  let text = e.body;
  if (e.kind === "text") {
    if (e.recalled) kind = "recalled";
    else if (e.edited) kind = "edited";
    if (e.file) text = `${text} [file ${e.file}]`.trim();
  } else if (e.kind === "edit") text = `#${e.ref} ${e.body}`;
  else if (e.kind === "recall") text = `#${e.ref}`;
  else text = describeSystem(e, label);
  return row(e.room, e.seq, isoTime(e.at), from, kind, text);
}
function entryLine(e, label, now = Date.now()) {
  const head = `[#${e.seq} ${shortTime(e.at, now)}]`;
  const body = e.body.replace(/\r?\n/g, "\n    ");
  switch (e.kind) {
    case "text": {
      if (e.recalled) return `${head} ${label(e.from)}: (recalled)`;
      const file = e.file ? ` [file ${e.file}]` : "";
      return `${head} ${label(e.from)}: ${body}${file}${e.edited ? " (edited)" : ""}`;
    }
    case "edit":
      return `${head} * ${label(e.from)} edited #${e.ref}: ${body}`;
    case "recall":
      return `${head} * ${label(e.from)} recalled #${e.ref}`;
    default:
      return `${head} * ${describeSystem(e, label)}`;
  }
}
function preview(text, max = 60) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? flat.slice(0, max - 1) + "\u2026" : flat;
}
function clockText(ms) {
  const tenths = Math.floor(Math.max(0, ms) / 100);
  const h = Math.floor(tenths / 36e3);
  const m = Math.floor(tenths % 36e3 / 600);
  const s = (tenths % 600 / 10).toFixed(1).padStart(4, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
function parseClock(text) {
  const parts = text.trim().split(":");
  if (parts.length > 3 || parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) throw new ConfigError(`not a time: "${text}" (seconds, m:ss or h:mm:ss)`);
  return Math.round(parts.reduce((acc, p) => acc * 60 + Number(p), 0) * 1e3);
}

export {
  row,
  shortTime,
  entryRow,
  entryLine,
  preview,
  clockText,
  parseClock
};
