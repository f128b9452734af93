// A TCP port for a benchmark's server processes: below the ephemeral range, so the many outgoing
// connections a benchmark makes cannot take it before the server binds it.
export { serverPort as freePortOf } from '../../lib/mod.ts';
