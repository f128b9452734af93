// A TCP port that was free a moment ago, for a child process or config that needs a fixed one.
export { freePort as freePortOf } from '../../lib/mod.ts';
