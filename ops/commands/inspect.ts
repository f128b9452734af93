import { Kvm } from '@nats-io/kv';
import { command } from '../command.ts';
import { connectAs, callService } from '../../lib/mod.ts';
import { buckets } from '../../protocol/mod.ts';
import { leaseKey } from '../../actors/runtime/mod.ts';

export default command({
  name: 'inspect',
  summary: 'an actor\'s stored state, version, epoch and current holder',
  usage: 'troupe inspect <kind> <id> [settings]',
  description: `
Prints what Postgres holds for the actor (machine state, version = messages applied, the epoch it
was last written under, its earliest deadline) and which host holds its partition's lease now.`,
  groups: ['common', 'nats'],
  async run({ config, positionals }) {
    const [kind, id] = positionals;
    if (!kind || !id) throw new Error('usage: troupe inspect <kind> <id>');
    const nc = await connectAs(config, 'ops', 'inspect', { maxReconnectAttempts: 0 });
    try {
      const r = await callService(nc, 'svc.actors.inspect', { kind, id }, 5000);
      const lease = await (await new Kvm(nc).open(buckets.leases)).get(leaseKey(r.partition));
      const holder = lease && lease.operation === 'PUT' ? { host: JSON.parse(lease.string()).host, revision: lease.revision } : null;
      console.log(JSON.stringify({ kind, id, ...r, holder }, null, 2));
      return r.found ? 0 : 1;
    } finally {
      await nc.close();
    }
  },
});
