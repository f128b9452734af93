import { command } from '../command.ts';
import { connectAs } from '../../lib/mod.ts';

export default command({
  name: 'tail',
  summary: 'print messages on NATS subjects as they pass (events, services, mailboxes)',
  usage: 'troupe tail [subject ...] [settings]      (default: evt.>)',
  description: `
Subscribes to the given subjects (wildcards allowed: evt.room.>, svc.auth.*, act.user.>) as the
ops user and prints one line per message: time, subject, payload. Ctrl-C stops.`,
  groups: ['common', 'nats'],
  async run({ config, positionals }) {
    const nc = await connectAs(config, 'ops', 'tail');
    const dec = new TextDecoder();
    for (const subject of positionals.length ? positionals : ['evt.>']) {
      nc.subscribe(subject, { callback: (err, m) => {
        if (!err) console.log(`${new Date().toISOString()} ${m.subject} ${dec.decode(m.data)}`);
      } });
    }
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await nc.close();
  },
});
