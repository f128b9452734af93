// Where a client frame becomes a call into the system: one handler per op, checked at compile
// time to cover every op in protocol/.
import type { OpName } from '../../protocol/mod.ts';
import type { HandlerTable } from './context.ts';
import { authHandlers } from './auth.ts';
import { presenceHandlers } from './presence.ts';
import { fileHandlers } from './files.ts';
import { chatHandlers } from './chat.ts';
import { watchHandlers } from './watch.ts';

export type { GatewayLinks, HandlerContext } from './context.ts';

export const handlers: HandlerTable<OpName> = {
  ...authHandlers,
  ...presenceHandlers,
  ...fileHandlers,
  ...chatHandlers,
  ...watchHandlers,
};
