import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  NodeUnreachable,
  Progress,
  formatBytes,
  getFile,
  guessType,
  putFile,
  sha256File
} from "./chunk-GRGCG5EO.js";
import {
  Profile,
  connectClient,
  givenUrl
} from "./chunk-J77PZPH4.js";
import "./chunk-KCWTZREZ.js";
import "./chunk-WYOJLEM2.js";
import "./chunk-FCC3TXGQ.js";
import {
  TroupeError,
  UploadResult,
  command,
  validate
} from "./chunk-DBBPO6IK.js";

// ops/commands/files.ts
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
var usage = `troupe files <command> [args] [--url URL] [--profile NAME]

Commands:
  upload <file>...            store files in your storage group; prints "<id>  <size>  <name>" each
  download <id> [out]         fetch a file to out (default: its name; "-" for stdout); an
                              interrupted download resumes from out.part when run again
  size <id>                   "<size>  <id>  <type>  <sha-256>  <name>" (the seed's filesize)
  delete <id>...              delete files (from every node of the group)
  ls                          your files, newest first: "<id>  <size>  <created>  <type>  <name>"
  groups                      storage groups, their nodes, states and free space`;
function progress(ctx, label, total, done = 0) {
  return new Progress(label, total, done, !ctx.quiet);
}
function meter(p, hash) {
  return new Transform({
    transform(chunk, _enc, next) {
      hash?.update(chunk);
      p.add(chunk.length);
      next(null, chunk);
    }
  });
}
async function eachNode(urls, attempt) {
  let last;
  for (const url of urls) {
    try {
      return await attempt(url);
    } catch (e) {
      if (!(e instanceof NodeUnreachable)) throw e;
      last = e;
    }
  }
  throw new TroupeError("unavailable", `no storage node could be reached (${last?.message})`);
}
async function upload(ctx, file, flags) {
  const st = await fsp.stat(file).catch(() => null);
  if (!st?.isFile()) throw new TroupeError("bad_request", `${file}: not a readable file`);
  const name = flags.name ?? path.basename(file);
  const hashing = progress(ctx, `hashing ${name}`, st.size);
  const sha256 = await sha256File(file, (n) => hashing.add(n));
  hashing.finish();
  const grant = await ctx.client.request("files.upload", { size: st.size });
  const bar = progress(ctx, `upload ${name}`, st.size);
  const result = await eachNode(grant.urls, async (url) => {
    bar.set(0);
    const body = fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(meter(bar));
    const answer = await putFile(`${url}&name=${encodeURIComponent(name)}`, body, {
      "content-type": flags.type ?? guessType(name),
      "content-length": st.size,
      // the node refuses to keep bytes that do not hash to this
      "x-content-sha256": sha256
    });
    return validate(UploadResult, answer, "internal", "the node's upload result");
  });
  bar.finish();
  if (result.sha256 !== sha256 || result.size !== st.size) throw new TroupeError("internal", `the node stored ${result.size} bytes with sha-256 ${result.sha256}; expected ${st.size} and ${sha256}`);
  console.log(`${result.fileId}	${result.size}	${result.name}`);
}
async function partialHash(ctx, part, have) {
  const hash = createHash("sha256");
  if (have === 0) return hash;
  const checking = progress(ctx, "checking the partial file", have);
  for await (const c of fs.createReadStream(part, { end: have - 1, highWaterMark: 1 << 20 })) {
    hash.update(c);
    checking.add(c.length);
  }
  checking.finish();
  return hash;
}
function defaultOut(grant) {
  const base = path.basename(grant.file.name || "").replace(/^\.+/, "");
  return base || grant.file.id;
}
async function download(ctx, id, outArg, flags) {
  let grant = await ctx.client.request("files.download", { id });
  const { size, sha256 } = grant.file;
  if (flags.offset !== void 0 || flags.length !== void 0) return downloadSlice(ctx, grant, outArg ?? "-", flags.offset ?? 0, flags.length);
  const out = outArg ?? defaultOut(grant);
  if (out === "-") {
    const hash2 = createHash("sha256");
    const res = await eachNode(grant.urls, (url) => getFile(url));
    await pipeline(res, meter(progress(ctx, "download", size), hash2), process.stdout);
    if (hash2.digest("hex") !== sha256) throw new TroupeError("internal", `the bytes written to stdout do not hash to ${sha256}`);
    return;
  }
  if (fs.existsSync(out) && !flags.force) throw new TroupeError("conflict", `${out} exists (--force replaces it)`);
  const part = `${out}.part`;
  let have = fs.existsSync(part) ? (await fsp.stat(part)).size : 0;
  if (have > size) {
    await fsp.truncate(part, 0);
    have = 0;
  }
  let hash = await partialHash(ctx, part, have);
  if (have > 0 && !ctx.quiet) process.stderr.write(`resuming ${out} at ${formatBytes(have)} of ${formatBytes(size)}
`);
  const bar = progress(ctx, `download ${path.basename(out)}`, size, have);
  for (let round = 0; have < size; round++) {
    let progressed = false;
    for (const url of grant.urls) {
      if (have >= size) break;
      const before = have;
      try {
        const res = await getFile(url, { range: `bytes=${have}-`, "if-range": `"${sha256}"` });
        if (res.statusCode === 416) {
          res.resume();
          throw new TroupeError("internal", `the node says byte ${have} is past the end of the file`);
        }
        if (res.statusCode === 200 && have > 0) {
          hash = createHash("sha256");
          have = 0;
          bar.set(0);
        }
        const sink = fs.createWriteStream(part, { flags: have > 0 ? "r+" : "w", start: have });
        const count = new Transform({
          transform(chunk, _enc, next) {
            have += chunk.length;
            next(null, chunk);
          }
        });
        await pipeline(res, meter(bar, hash), count, sink).catch((e) => {
          throw e instanceof TroupeError ? e : new NodeUnreachable(e.message);
        });
      } catch (e) {
        if (!(e instanceof NodeUnreachable)) throw e;
        if (!ctx.quiet) process.stderr.write(`
${e.message}; trying the next node
`);
        have = fs.existsSync(part) ? (await fsp.stat(part)).size : 0;
        hash = await partialHash(ctx, part, have);
        bar.set(have);
      }
      if (have > before) progressed = true;
    }
    if (have >= size) break;
    if (!progressed && round >= 2) throw new TroupeError("unavailable", `no node delivered the rest of ${id}; ${formatBytes(have)} are kept in ${part}: run the command again to resume`);
    grant = await ctx.client.request("files.download", { id });
  }
  bar.finish();
  if (size === 0) await fsp.writeFile(part, "");
  const digest = hash.digest("hex");
  if (digest !== sha256) {
    await fsp.rm(part, { force: true });
    throw new TroupeError("internal", `the downloaded bytes hash to ${digest}, not ${sha256}; the partial file was removed`);
  }
  await fsp.rename(part, out);
  console.log(`${out}	${size}`);
}
async function downloadSlice(ctx, grant, out, offset, length) {
  const { size } = grant.file;
  if (offset > size || offset === size && size > 0) throw new TroupeError("bad_range", `offset ${offset} is past the end (${size} bytes)`);
  const end = length === void 0 ? size - 1 : Math.min(size - 1, offset + length - 1);
  const count = Math.max(0, end - offset + 1);
  if (out !== "-" && fs.existsSync(out) && !ctx.quiet) process.stderr.write(`replacing ${out}
`);
  if (count === 0) {
    if (out !== "-") await fsp.writeFile(out, "");
    return;
  }
  const res = await eachNode(grant.urls, (url) => getFile(url, { range: `bytes=${offset}-${end}` }));
  if (res.statusCode !== 206) {
    res.resume();
    throw new TroupeError("internal", `the node answered ${res.statusCode} to a range request`);
  }
  const bar = progress(ctx, "download", count);
  await pipeline(res, meter(bar), out === "-" ? process.stdout : fs.createWriteStream(out));
  bar.finish();
  if (bar.bytes !== count) throw new TroupeError("unavailable", `got ${bar.bytes} of ${count} bytes`);
  if (out !== "-") console.log(`${out}	${count}	bytes ${offset}-${end} of ${size}`);
}
function nonNegative(flag, v) {
  if (v === void 0) return void 0;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new TroupeError("bad_request", `--${flag} must be a whole number of bytes`);
  return n;
}
var files_default = command({
  name: "files",
  summary: "the storage client: upload, download, size, delete, ls, groups",
  usage,
  description: `
Needs a saved session (troupe client login <name>). The gateway hands out short-lived tickets and
the storage nodes to use; the bytes go straight between this machine and the nodes. Uploads are
hashed first and the node refuses bytes that do not match; downloads are checked against the
file's sha-256 and kept in <out>.part until complete, so running the same download again resumes
it (ranges), also on another node of the group when one fails. Progress bars go to stderr on a
terminal; results go to stdout, one line each; errors go to stderr with a code and exit status 1.`,
  groups: ["client"],
  flags: {
    name: { type: "string", help: "upload: display name (default: the file's name)" },
    type: { type: "string", help: "upload: Content-Type (default: by extension)" },
    force: { type: "boolean", help: "download: replace an existing output file" },
    offset: { type: "string", help: "download: first byte of a slice (not hashed)" },
    length: { type: "string", help: "download: bytes of a slice (not hashed)" },
    limit: { type: "string", help: "ls: at most this many files (default: all)" },
    quiet: { type: "boolean", short: "q", help: "no progress bars or notes on stderr" }
  },
  async run(parsed) {
    const { config, flags, positionals } = parsed;
    const [sub, ...args] = positionals;
    const known = ["upload", "download", "size", "delete", "ls", "groups"];
    if (!sub || !known.includes(sub)) {
      console.error(sub ? `unknown files command "${sub}"

Usage: ${usage}` : `Usage: ${usage}`);
      return 2;
    }
    const need = (what) => {
      if (!args.length) throw new TroupeError("bad_request", `${sub} needs ${what}`);
      return args;
    };
    const profile = new Profile(config.clientHome, config.profile);
    const saved = profile.load();
    if (!saved) throw new TroupeError("unauthenticated", `no saved session for profile "${config.profile}"; run: troupe client login <name>`);
    const client = await connectClient({ url: givenUrl(parsed), profile, failover: config.failover }, { reconnect: true, heartbeatMs: 3e4 });
    const ctx = { client, quiet: flags.quiet === true };
    try {
      await client.resume(saved.token);
      switch (sub) {
        case "upload":
          for (const f of need("a file")) await upload(ctx, f, { name: flags.name, type: flags.type });
          break;
        case "download": {
          const [id, out] = need("a file id");
          await download(ctx, id, out, { force: flags.force === true, offset: nonNegative("offset", flags.offset), length: nonNegative("length", flags.length) });
          break;
        }
        case "size":
          for (const id of need("a file id")) {
            const { file } = await client.request("files.stat", { id });
            console.log(`${file.size}	${file.id}	${file.contentType}	${file.sha256}	${file.name}`);
          }
          break;
        case "delete":
          for (const id of need("a file id")) {
            await client.request("files.delete", { id });
            console.log(`deleted ${id}`);
          }
          break;
        case "ls": {
          const max = nonNegative("limit", flags.limit) ?? Infinity;
          let cursor;
          let shown = 0;
          do {
            const page = await client.request("files.list", { limit: Math.min(200, max - shown), ...cursor ? { cursor } : {} });
            for (const f of page.files) console.log(`${f.id}	${f.size}	${f.createdAt}	${f.contentType}	${f.name}`);
            shown += page.files.length;
            cursor = page.cursor;
          } while (cursor && shown < max);
          break;
        }
        case "groups": {
          const { groups } = await client.request("storage.groups", {});
          if (!groups.length) console.log("no storage groups yet");
          for (const g of groups) {
            console.log(`${g.name}	${g.active}/${g.nodes.length} active	${formatBytes(g.freeBytes)} free`);
            for (const n of g.nodes) console.log(`  ${n.node}	${n.state}	${n.url}	${formatBytes(n.freeBytes)} of ${formatBytes(n.totalBytes)} free`);
          }
          break;
        }
      }
    } finally {
      await client.close();
    }
    return 0;
  }
});
export {
  files_default as default
};
