import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  ensureChromium
} from "./chunk-XLBKSFGY.js";
import {
  ensureWebBundle
} from "./chunk-R2TDF4GX.js";
import {
  command,
  projectRoot
} from "./chunk-DBBPO6IK.js";

// ops/commands/test.ts
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
function findTests(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(p));
    else if (e.name.endsWith(".test.ts")) out.push(p);
  }
  return out.sort();
}
var EXIT_GRACE_MS = 2e4;
function run(name, cmd, args, timeoutMs) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: projectRoot, env: { ...process.env, TROUPE_LOG_LEVEL: process.env.TROUPE_LOG_LEVEL ?? "warn" }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    let lingered = false;
    let exitGrace;
    const add = (b) => {
      if (output.length < 2e6) output += b.toString();
      if (!exitGrace && /Duration:\s+[\d.]+m?s/.test(output)) {
        exitGrace = setTimeout(() => {
          lingered = true;
          output += `
[test runner] ${name} printed its results but did not exit within ${EXIT_GRACE_MS} ms (a leaked handle); killed
`;
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {
          }
        }, EXIT_GRACE_MS);
      }
    };
    child.stdout.on("data", add);
    child.stderr.on("data", add);
    const timer = setTimeout(() => {
      output += `
[test runner] ${name} timed out after ${timeoutMs} ms; killed
`;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
      }
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      clearTimeout(exitGrace);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
      }
      resolve({ name, ok: code === 0 && !lingered, ms: Date.now() - started, output });
    });
  });
}
var test_default = command({
  name: "test",
  summary: "run the test suite (typecheck, unit, simulation, integration)",
  usage: "troupe test [filter...]   (npm test, npm test -- gateway)",
  description: `
Builds the web client if it is missing or stale, installs Debian's chromium for the browser tests
when it is missing (apt-get, as root), type-checks the project, then runs every test/**/*.test.ts
in its own process (uvu), a few at a time. Integration tests start their own nats-server from
nats.conf on free ports and use the Postgres at TROUPE_TEST_DATABASE_URL (default
postgres://127.0.0.1:5432/postgres; a fresh database per test file, dropped afterwards), or
in-memory PGlite when no Postgres answers.
A filter runs only files whose path contains it.`,
  groups: [],
  flags: {
    jobs: { type: "string", help: "test files run at once", default: process.env.TROUPE_TEST_JOBS ?? "2" },
    timeout: { type: "string", help: "seconds one file may take", default: "300" },
    verbose: { type: "boolean", help: "print the output of passing files too" }
  },
  async run({ flags, positionals }) {
    const started = Date.now();
    const jobs = Math.max(1, Number(flags.jobs) || 2);
    const timeoutMs = Math.max(10, Number(flags.timeout) || 300) * 1e3;
    const files = findTests(path.join(projectRoot, "test")).filter((f) => positionals.length === 0 || positionals.some((p) => f.includes(p)));
    await ensureWebBundle({ say: (m) => console.log(m) });
    if (files.some((f) => /(^|\/)web-/.test(path.basename(f)))) ensureChromium();
    const results = [];
    const report = (r) => {
      results.push(r);
      console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name.padEnd(44)} ${(r.ms / 1e3).toFixed(1)} s`);
      if (!r.ok || flags.verbose) console.log(r.output.split("\n").map((l) => "    " + l).join("\n"));
    };
    const tsc = path.join(projectRoot, "node_modules", ".bin", "tsc");
    const typecheck = positionals.length === 0 ? run("typecheck (tsc --noEmit)", tsc, ["--noEmit", "-p", projectRoot], 3e5) : null;
    const queue = files.map((f) => path.relative(projectRoot, f));
    const worker = async () => {
      for (let f = queue.shift(); f; f = queue.shift()) report(await run(f, process.execPath, ["--import", "tsx", f], timeoutMs));
    };
    await Promise.all(Array.from({ length: jobs }, worker));
    if (typecheck) report(await typecheck);
    const failed = results.filter((r) => !r.ok);
    console.log(`
${results.length - failed.length} passed, ${failed.length} failed, ${((Date.now() - started) / 1e3).toFixed(1)} s`);
    for (const f of failed) console.log(`  failed: ${f.name}`);
    return failed.length ? 1 : 0;
  }
});
export {
  test_default as default
};
