import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);
import {
  clientDescription,
  clientFlags,
  processIo,
  runClient,
  usage
} from "./chunk-J77PZPH4.js";
import "./chunk-KCWTZREZ.js";
import "./chunk-WYOJLEM2.js";
import "./chunk-FCC3TXGQ.js";
import {
  command
} from "./chunk-DBBPO6IK.js";

// ops/commands/client.ts
var client_default = command({
  name: "client",
  summary: "the terminal client: log in, chat interactively, or script one-shot commands",
  usage,
  description: clientDescription,
  groups: ["client"],
  flags: clientFlags,
  run: (parsed) => runClient(parsed, processIo())
});
export {
  client_default as default
};
