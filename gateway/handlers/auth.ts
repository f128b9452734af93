// auth.* and ping: accounts and sessions through svc.auth (the gateway holds no database).
import { callService } from '../../lib/mod.ts';
import { TroupeError } from '../../protocol/mod.ts';
import type { HandlerTable, GatewayLinks } from './context.ts';
import type { Connection, Session } from '../connection.ts';

/** One login at a time per connection; the session is attached only if the connection is still open. */
async function logIn(conn: Connection, gw: GatewayLinks, grant: () => Promise<Session>) {
  if (conn.session || conn.loggingIn) throw new TroupeError('already_authenticated');
  conn.loggingIn = true;
  try {
    const session = await grant();
    if (conn.isOpen) {
      gw.sessions.attach(conn, session);
      // once the login answer is out, the user's pushes flow: the server has our subscription
      await gw.nc.flush();
    }
    return { token: session.token, user: session.user, expiresAt: session.expiresAt };
  } finally {
    conn.loggingIn = false;
  }
}

export const authHandlers: HandlerTable<'auth.register' | 'auth.login' | 'auth.resume' | 'auth.logout' | 'ping' | 'gateways.list'> = {
  async 'auth.register'({ gw }, req) {
    return callService(gw.nc, 'svc.auth.register', req, gw.requestTimeoutMs);
  },

  async 'auth.login'({ conn, gw }, req) {
    return logIn(conn, gw, () => callService(gw.nc, 'svc.auth.login', { name: req.name, password: req.password, device: req.device ?? { type: 'cli' }, gateway: gw.nodeId }, gw.requestTimeoutMs));
  },

  async 'auth.resume'({ conn, gw }, req) {
    return logIn(conn, gw, () => callService(gw.nc, 'svc.auth.resume', { token: req.token, device: req.device, gateway: gw.nodeId }, gw.requestTimeoutMs));
  },

  async 'auth.logout'({ conn, gw }) {
    const session = conn.session;
    if (!session) throw new TroupeError('unauthenticated');
    await callService(gw.nc, 'svc.auth.logout', { sessionId: session.sessionId }, gw.requestTimeoutMs);
    gw.sessions.detach(conn, 'logout');
    conn.loginDeadline = Date.now() + gw.loginTimeoutMs;
    return {};
  },

  async ping(_ctx, req) {
    return { t: req.t, now: Date.now() };
  },

  async 'gateways.list'(ctx) {
    return { gateways: await ctx.gw.gateways() };
  },
};
