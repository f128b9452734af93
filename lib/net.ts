// Small network helpers.
import fs from 'node:fs';
import net from 'node:net';

/** A port that was free a moment ago (for a child process or a config that needs a fixed port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The lowest port the kernel hands out for outgoing connections (and for listen(0)). */
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

/**
 * A free port below the ephemeral range, for a server started a little later or restarted on the
 * same port: a port from freePort() is in the range the kernel also picks the local ports of
 * outgoing connections from, and a busy benchmark's connections took one before its server bound
 * it (EADDRINUSE).
 */
export async function serverPort(): Promise<number> {
  const high = ephemeralLow() - 1;
  for (let i = 0; i < 200; i++) {
    const port = 10_000 + Math.floor(Math.random() * (high - 10_000));
    if (await bindable(port)) return port;
  }
  throw new Error('no free port below the ephemeral range');
}
