import { command } from '../command.ts';
import { runClient, usage, clientDescription, clientFlags, processIo } from '../client/mod.ts';

export default command({
  name: 'client',
  summary: 'the terminal client: log in, chat interactively, or script one-shot commands',
  usage,
  description: clientDescription,
  groups: ['client'],
  flags: clientFlags,
  run: (parsed) => runClient(parsed, processIo()),
});
