import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  ConfigError,
  StoppedWhileStarting,
  TroupeError,
  runCommand
} from "./chunk-DBBPO6IK.js";

// ops/threadpool.ts
process.env.UV_THREADPOOL_SIZE ??= "16";

// ops/main.ts
var loaders = {
  up: () => import("./up-RNUW3L7E.js"),
  host: () => import("./host-5DN262YX.js"),
  gateway: () => import("./gateway-YMNAH4BP.js"),
  storage: () => import("./storage-ITNHXO5N.js"),
  migrate: () => import("./migrate-CX3IKWWS.js"),
  nats: () => import("./nats-ECPS4RYZ.js"),
  secrets: () => import("./secrets-IHOK2CSN.js"),
  client: () => import("./client-FT63E4HC.js"),
  files: () => import("./files-542XAIGV.js"),
  library: () => import("./library-4DBUMRTJ.js"),
  watch: () => import("./watch-XCMDUWCD.js"),
  partitions: () => import("./partitions-PGUN3CFY.js"),
  "storage-forget": () => import("./storage-forget-E2AOCIQQ.js"),
  inspect: () => import("./inspect-RQVBKGRX.js"),
  replay: () => import("./replay-TBCNN4XS.js"),
  tail: () => import("./tail-NKH7CORN.js"),
  bench: () => import("./bench-ONKGABDN.js"),
  sim: () => import("./sim-DK4D3MGC.js"),
  docs: () => import("./docs-ZD3D3AVW.js"),
  web: () => import("./web-NQNFLCXV.js"),
  test: () => import("./test-76GRW2VO.js")
};
var load = async (name) => (await loaders[name]()).default;
async function overview() {
  const commands = await Promise.all(Object.keys(loaders).map(load));
  return [
    "Usage: troupe <command> [options]      (from a checkout: npm run troupe -- <command>)",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(15)} ${c.summary}`),
    "",
    "Every command takes --help. Settings come from flags, then environment variables, then defaults."
  ].join("\n");
}
async function main(argv) {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(await overview());
    return name ? 0 : 2;
  }
  if (!Object.hasOwn(loaders, name)) {
    console.error(`troupe: unknown command "${name}"

${await overview()}`);
    return 2;
  }
  const c = await load(name);
  try {
    return await runCommand(c, rest);
  } catch (e) {
    if (e instanceof StoppedWhileStarting) return 0;
    if (e instanceof ConfigError) {
      console.error(`troupe ${name}: ${e.message} (see troupe ${name} --help)`);
      return 2;
    }
    if (e instanceof TroupeError) {
      console.error(`troupe ${name}: ${e.code}: ${e.message}`);
      return 1;
    }
    console.error(`troupe ${name}: ${e.message ?? e}`);
    return 1;
  }
}
var code = await main(process.argv.slice(2));
process.exitCode = code;
if (!["up", "host", "gateway", "nats", "storage"].includes(process.argv[2] ?? "")) {
  setTimeout(() => process.exit(code), 50).unref();
}
export {
  main
};
