import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  command,
  connectAs
} from "./chunk-DBBPO6IK.js";

// ops/commands/tail.ts
var tail_default = command({
  name: "tail",
  summary: "print messages on NATS subjects as they pass (events, services, mailboxes)",
  usage: "troupe tail [subject ...] [settings]      (default: evt.>)",
  description: `
Subscribes to the given subjects (wildcards allowed: evt.room.>, svc.auth.*, act.user.>) as the
ops user and prints one line per message: time, subject, payload. Ctrl-C stops.`,
  groups: ["common", "nats"],
  async run({ config, positionals }) {
    const nc = await connectAs(config, "ops", "tail");
    const dec = new TextDecoder();
    for (const subject of positionals.length ? positionals : ["evt.>"]) {
      nc.subscribe(subject, { callback: (err, m) => {
        if (!err) console.log(`${(/* @__PURE__ */ new Date()).toISOString()} ${m.subject} ${dec.decode(m.data)}`);
      } });
    }
    await new Promise((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await nc.close();
  }
});
export {
  tail_default as default
};
