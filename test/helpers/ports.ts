// Ports for tests. freePort() takes one the kernel hands out; it comes from the ephemeral range,
// where the kernel also picks the local ports of outgoing connections, so a server that stops
// and starts again on it may find it taken. restartablePort() picks one below that range.
export { freePort, serverPort as restartablePort } from '../../lib/mod.ts';
