import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  ConfigError,
  callService,
  command,
  connectAs
} from "./chunk-DBBPO6IK.js";

// ops/commands/watch.ts
var watch_default = command({
  name: "watch",
  summary: "watch-together rooms: state, movie, viewers and the media servers they read from",
  usage: "troupe watch rooms [--limit N] [--json] [settings]",
  description: `
Rooms that have a movie loaded or viewers, most recently changed first: the timeline's state,
the movie, how many connections watch, and the media servers (storage nodes) the room's viewers
read from with how many each (seed 000's room -> server map, kept by the storage group actors:
one node holding the movie while it has capacity, another added when it is full, a node released
when its room viewer count falls to 0).`,
  groups: ["common", "nats"],
  flags: {
    limit: { type: "string", help: "rooms at most (default 100)" },
    json: { type: "boolean", help: "print JSON" }
  },
  async run({ config, positionals, flags }) {
    if (positionals.join(" ") !== "rooms") throw new ConfigError("usage: troupe watch rooms [--limit N] [--json]");
    const limit = flags.limit !== void 0 ? Number(flags.limit) : 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1e3) throw new ConfigError("--limit: a whole number from 1 to 1000");
    const nc = await connectAs(config, "ops", "watch", { maxReconnectAttempts: 0 });
    try {
      const { rooms } = await callService(nc, "svc.watch.rooms", { limit }, 15e3);
      if (flags.json) {
        console.log(JSON.stringify(rooms, null, 2));
        return 0;
      }
      console.log(["room".padEnd(14), "state".padEnd(10), "viewers".padStart(7), " nodes (viewers)".padEnd(40), "movie"].join(" "));
      for (const r of rooms) {
        const nodes = r.nodes.map((n) => `${n.node}(${n.viewers})`).join(" ") || "-";
        console.log([r.room.padEnd(14), r.state.padEnd(10), String(r.viewers).padStart(7), ` ${nodes}`.padEnd(40), r.title || "-"].join(" "));
      }
      console.log(`
${rooms.length} room(s), ${rooms.reduce((n, r) => n + r.viewers, 0)} viewer(s)`);
      return 0;
    } finally {
      await nc.close();
    }
  }
});
export {
  watch_default as default
};
