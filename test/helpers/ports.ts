// Ports for tests. freePort() takes one the kernel hands out; it comes from the ephemeral range,
// where the kernel also picks the local ports of outgoing connections, so a server that stops
// and starts again on it may find it taken. restartablePort() picks one below that range.
import fs from 'node:fs';
import net from 'node:net';
export { freePort } from '../../lib/mod.ts';

function ephemeralLow(): number {
  try {
    const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(low) && low > 11_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A free port outside the ephemeral range, for a server a test restarts on the same port. */
export async function restartablePort(): Promise<number> {
  const high = ephemeralLow() - 1;
  for (let i = 0; i < 200; i++) {
    const port = 10_000 + Math.floor(Math.random() * (high - 10_000));
    if (await bindable(port)) return port;
  }
  throw new Error('no free port below the ephemeral range');
}
