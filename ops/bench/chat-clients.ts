// A child process of the chat benchmark that holds many idle, logged-in WebSocket connections
// (one process cannot hold more than its file-descriptor limit). The parent sends the plan over
// IPC; the child reports progress and 'ready', then waits for 'close'.
import { TroupeClient } from '../../protocol/client/mod.ts';

export interface ClientsPlan {
  url: string;
  password: string;
  /** `[name, device type]` per connection. */
  logins: [string, 'desktop' | 'mobile' | 'web' | 'cli' | 'bot'][];
  concurrency: number;
}

async function hold(plan: ClientsPlan): Promise<void> {
  const clients: TroupeClient[] = [];
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < plan.logins.length) {
      const [name, type] = plan.logins[next++];
      try {
        const c = await TroupeClient.connect(plan.url, { reconnect: false, heartbeatMs: 0, device: { type } });
        await c.login(name, plan.password);
        clients.push(c);
      } catch {
        failed++;
      }
      if ((clients.length + failed) % 1000 === 0) process.send!({ type: 'progress', open: clients.length, failed });
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  process.send!({ type: 'ready', open: clients.length, failed });
  process.on('message', async (m: { type: string }) => {
    if (m.type !== 'close') return;
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    process.exit(0);
  });
}

if (process.env.TROUPE_BENCH_CLIENTS) {
  process.once('message', (plan: ClientsPlan) => void hold(plan));
  process.send!({ type: 'started' });
}
