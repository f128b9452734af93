// files.* and storage.groups: tickets and listings from the hosts' files service, the group list
// from the tracker actor. The bytes go straight between the client and a storage node.
import { callService } from '../../lib/mod.ts';
import { TroupeError, type GroupSummary } from '../../protocol/mod.ts';
import { TRACKER_ID } from '../../actors/tracker/mod.ts';
import type { Connection } from '../connection.ts';
import type { HandlerTable } from './context.ts';

function userOf(conn: Connection): number {
  // the connection checks `auth` before dispatching; this only narrows the type
  if (!conn.session) throw new TroupeError('unauthenticated');
  return conn.session.user.id;
}

export const fileHandlers: HandlerTable<'files.upload' | 'files.download' | 'files.delete' | 'files.list' | 'files.stat' | 'storage.groups'> = {
  async 'files.upload'({ conn, gw }, req) {
    return callService(gw.nc, 'svc.files.upload', { user: userOf(conn), ...req }, gw.requestTimeoutMs);
  },

  async 'files.download'({ conn, gw }, req) {
    return callService(gw.nc, 'svc.files.download', { user: userOf(conn), id: req.id }, gw.requestTimeoutMs);
  },

  async 'files.delete'({ conn, gw }, req) {
    return callService(gw.nc, 'svc.files.delete', { user: userOf(conn), id: req.id }, gw.requestTimeoutMs);
  },

  async 'files.list'({ conn, gw }, req) {
    return callService(gw.nc, 'svc.files.list', { user: userOf(conn), ...req }, gw.requestTimeoutMs);
  },

  async 'files.stat'({ conn, gw }, req) {
    return callService(gw.nc, 'svc.files.stat', { user: userOf(conn), id: req.id }, gw.requestTimeoutMs);
  },

  async 'storage.groups'({ gw }) {
    return gw.actors.query<{ groups: GroupSummary[] }>('tracker', TRACKER_ID, { type: 'groups' }, { timeoutMs: gw.requestTimeoutMs });
  },
};
