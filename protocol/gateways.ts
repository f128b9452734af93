// Gateways as clients see them: an entry of the live list (/api/gateways, least-loaded first) and
// the push a gateway sends before it goes away, so a client can move to another one in time.
import { T, Obj, op, push } from './schema.ts';

export const GatewayAddress = Obj({
  id: T.String({ description: 'the gateway\'s node id' }),
  load: T.Integer({ minimum: 0, description: 'lower is less loaded (its connection count)' }),
  tcp: T.String({ description: '`host:port` of its TCP edge' }),
  ws: T.String({ description: 'its WebSocket URL (`ws://host:port/ws`)' }),
  http: T.String({ description: 'its HTTP base URL (`/api/gateways` lists all live gateways)' }),
}, 'a live gateway');

export const gatewayPushes = {
  'gateway.draining': push({
    summary: 'This gateway is going away (`reason`: `shutdown` on SIGTERM; treat any other reason alike). It accepts no new connection and closes this one in `closeInMs`; requests still work until then. Reconnect to another gateway after a random delay of up to `retryAfterMs` (so its clients do not all arrive at once), resume the session and catch up; `gateways` names the other live ones, least-loaded first (empty: ask the URL you were first given).',
    body: Obj({
      reason: T.Union([T.Literal('shutdown')], { description: 'why it goes: `shutdown` (SIGTERM); later versions may add reasons' }),
      closeInMs: T.Integer({ minimum: 0, description: 'this connection is closed after so many ms' }),
      retryAfterMs: T.Integer({ minimum: 0, description: 'spread your reconnect over this many ms (pick a random delay up to it)' }),
      gateways: T.Array(GatewayAddress, { description: 'the other live gateways, least-loaded first' }),
    }),
  }),
};

export const gatewayOps = {
  'gateways.list': op({
    summary: 'The live gateways, least-loaded first (what /api/gateways says): a client that fails over keeps this list fresh while connected and moves to one of them when its gateway goes.',
    auth: false,
    request: Obj({}),
    response: Obj({ gateways: T.Array(GatewayAddress) }),
    errors: [],
  }),
};
