import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  formatBytes
} from "./chunk-GRGCG5EO.js";
import {
  buildWebBundle,
  bundleSizes,
  defaultDistDir,
  ensureWebBundle,
  staleReason
} from "./chunk-R2TDF4GX.js";
import {
  command,
  projectRoot
} from "./chunk-DBBPO6IK.js";

// ops/commands/web.ts
import path from "node:path";
var web_default = command({
  name: "web",
  summary: "build the web client (npm start and npm test build it when it is missing or stale)",
  usage: "troupe web [--force] [--check]",
  description: `
Bundles the browser client in gateway/web/app with esbuild into gateway/web/dist: fingerprinted
JavaScript and CSS, gzip and brotli copies, index.html and a manifest with a hash of every input.
Without --force it rebuilds only when an input changed. Gateways serve it at /.`,
  groups: [],
  flags: {
    force: { type: "boolean", help: "rebuild even when the bundle is current" },
    check: { type: "boolean", help: "exit 1 if the bundle is missing or stale; build nothing" }
  },
  async run({ flags }) {
    if (flags.check) {
      const reason = staleReason();
      console.log(reason ? `stale: ${reason}` : "current");
      return reason ? 1 : 0;
    }
    const started = Date.now();
    const manifest = flags.force ? await buildWebBundle() : (await ensureWebBundle()).manifest;
    const s = bundleSizes(manifest);
    console.log(`${path.relative(projectRoot, defaultDistDir)}: ${manifest.script}, ${manifest.style} (${Date.now() - started} ms)`);
    console.log(`JS + CSS: ${formatBytes(s.bytes)} raw, ${formatBytes(s.gzip)} gzip, ${formatBytes(s.brotli)} brotli`);
    return 0;
  }
});
export {
  web_default as default
};
