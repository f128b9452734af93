import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  clockText,
  parseClock
} from "./chunk-WYOJLEM2.js";
import {
  ConfigError,
  FileId,
  Id,
  callService,
  command,
  connectAs,
  isValid
} from "./chunk-DBBPO6IK.js";

// ops/commands/library.ts
import { spawnSync } from "node:child_process";
import fs from "node:fs";
function probe(file) {
  if (!fs.existsSync(file)) throw new ConfigError(`--probe: no file ${file}`);
  const r = spawnSync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", file], { encoding: "utf8" });
  if (r.error) throw new ConfigError("--probe needs ffprobe (Debian package ffmpeg: sudo apt-get install ffmpeg); or give --duration");
  const seconds = Number(r.stdout.trim());
  if (r.status !== 0 || !(seconds > 0)) throw new ConfigError(`ffprobe could not read a length from ${file}: ${r.stderr.trim() || r.stdout.trim()}`);
  return Math.round(seconds * 1e3);
}
function rows(items) {
  console.log(["file".padEnd(30), "length".padStart(10), "bytes".padStart(12), "type".padEnd(16), "added by".padEnd(14), "title"].join(" "));
  for (const i of items) {
    console.log([i.file.padEnd(30), (i.durationMs ? clockText(i.durationMs) : "-").padStart(10), String(i.size).padStart(12), i.contentType.padEnd(16), i.addedBy.name.padEnd(14), i.title].join(" "));
  }
}
var library_default = command({
  name: "library",
  summary: "the public movie library: list, publish and unpublish stored files",
  usage: "troupe library ls [query] | publish <file id> --title T [--duration D | --probe FILE] [--by USER_ID] | unpublish <file id>",
  description: `
The movie library every user can browse (\`library.list\`, \`troupe client library\`) and any room
can watch (\`watch.load\`). Publishing names a file already stored (\`troupe files upload\` prints
its id) with a title and its length: --duration in seconds or h:mm:ss, or --probe with a local
copy of the file (read with ffprobe, Debian package ffmpeg). Who added it is the file's owner, or
--by. Publishing again changes the title and length; unpublishing leaves the file stored.
Operators run this over NATS (user ops); remote admins use the admin HTTP API
(POST /api/admin/library, DELETE /api/admin/library/<file id>).`,
  groups: ["common", "nats"],
  flags: {
    title: { type: "string", help: "publish: the title" },
    duration: { type: "string", help: "publish: the length (seconds, m:ss or h:mm:ss)" },
    probe: { type: "string", help: "publish: read the length from this local copy with ffprobe" },
    by: { type: "string", help: "publish: the user id shown as having added it (default: the file's owner)" },
    json: { type: "boolean", help: "print JSON" }
  },
  async run({ config, positionals, flags }) {
    const [verb, ...rest] = positionals;
    let call;
    if (verb === "ls" || verb === "list") {
      const query = rest.join(" ");
      if (query.length > 100) throw new ConfigError("the query has at most 100 characters");
      call = async (nc2) => {
        const items = [];
        let cursor;
        do {
          const page = await callService(nc2, "svc.library.list", { query, limit: 200, ...cursor ? { cursor } : {} }, 1e4);
          items.push(...page.items);
          cursor = page.cursor;
        } while (cursor);
        if (flags.json) console.log(JSON.stringify(items, null, 2));
        else rows(items);
        return items;
      };
    } else if (verb === "publish") {
      const [file] = rest;
      if (!file || rest.length > 1 || !isValid(FileId, file)) throw new ConfigError("usage: troupe library publish <file id> --title T [--duration D | --probe FILE]");
      const title = String(flags.title ?? "").trim();
      if (!title || title.length > 200) throw new ConfigError("--title: 1 to 200 characters");
      if (flags.duration !== void 0 && flags.probe !== void 0) throw new ConfigError("give --duration or --probe, not both");
      const durationMs = flags.duration !== void 0 ? parseClock(String(flags.duration)) : flags.probe !== void 0 ? probe(String(flags.probe)) : void 0;
      const by = flags.by !== void 0 ? Number(flags.by) : void 0;
      if (by !== void 0 && !isValid(Id, by)) throw new ConfigError("--by: a user id");
      call = async (nc2) => {
        const { item } = await callService(nc2, "svc.library.publish", { file, title, ...durationMs !== void 0 ? { durationMs } : {}, ...by !== void 0 ? { by } : {} }, 1e4);
        if (flags.json) console.log(JSON.stringify(item, null, 2));
        else console.log(`published ${item.file}: ${item.title} (${item.durationMs ? clockText(item.durationMs) : "length unknown"}, ${item.size} bytes, added by ${item.addedBy.name})`);
        return item;
      };
    } else if (verb === "unpublish") {
      const [file] = rest;
      if (!file || rest.length > 1 || !isValid(FileId, file)) throw new ConfigError("usage: troupe library unpublish <file id>");
      call = async (nc2) => {
        const r = await callService(nc2, "svc.library.unpublish", { file }, 1e4);
        console.log(r.removed ? `unpublished ${file}` : `${file} was not in the library`);
        return r;
      };
    } else {
      throw new ConfigError("usage: troupe library ls [query] | publish <file id> --title T | unpublish <file id>");
    }
    const nc = await connectAs(config, "ops", "library", { maxReconnectAttempts: 0 });
    try {
      await call(nc);
      return 0;
    } finally {
      await nc.close();
    }
  }
});
export {
  library_default as default
};
