// Every scripted command by name (chat, the interactive mode, is added in mod.ts: it runs these too).
import { accountCommands } from './account.ts';
import { roomCommands } from './rooms.ts';
import { messageCommands } from './messages.ts';
import { friendCommands } from './friends.ts';
import { watchCommands } from './watch.ts';
import type { ClientCommand } from './context.ts';

export const scriptedCommands: Record<string, ClientCommand> = {
  ...accountCommands,
  ...roomCommands,
  ...messageCommands,
  ...friendCommands,
  ...watchCommands,
};
