export { freePort } from '../../lib/mod.ts';
