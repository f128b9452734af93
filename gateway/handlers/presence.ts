// presence.*: online state of users, read from what the user actors maintain.
import { callService } from '../../lib/mod.ts';
import type { HandlerTable } from './context.ts';

export const presenceHandlers: HandlerTable<'presence.query'> = {
  async 'presence.query'({ gw }, req) {
    return callService(gw.nc, 'svc.presence.query', { users: req.users }, gw.requestTimeoutMs);
  },
};
