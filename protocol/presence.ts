// Presence: which users are online on which devices. Gateways report connections to the user
// actor (act.user.<p>.<uid>); clients query it.
import { T, Obj, op, message, Id, Device } from './schema.ts';

export const ConnKey = T.String({ minLength: 3, maxLength: 200, description: '`<gateway instance>/<connection id>`' });
const GatewayInstance = T.String({ minLength: 1, maxLength: 160, description: 'a gateway process (`<node id>@<start time>`)' });

/** Messages to the user actor about connections. */
export const UserPresenceMessage = T.Union([
  Obj({ type: T.Literal('connect'), conn: ConnKey, gateway: GatewayInstance, session: Id, device: Device, name: T.Optional(T.String({ maxLength: 32 })) }),
  Obj({ type: T.Literal('disconnect'), conn: ConnKey }),
  Obj({ type: T.Literal('gatewayDown'), gateway: GatewayInstance }),
  Obj({ type: T.Literal('presence') }),
]);

const PresenceEntry = Obj({ user: Id, online: T.Boolean(), devices: T.Array(T.String({ description: 'device type' })), lastSeenAt: T.Optional(T.String()) });

export const presenceOps = {
  'presence.query': op({
    summary: 'Online state and device types of up to 200 users.',
    auth: true,
    request: Obj({ users: T.Array(Id, { minItems: 1, maxItems: 200 }) }),
    response: Obj({ presence: T.Array(PresenceEntry) }),
    errors: ['bad_request'],
  }),
};

export const presenceMessages = {
  'act.user (presence)': message({
    subject: 'act.user.<p>.<uid>',
    summary: 'Connection reports from gateways to the user actor: connect, disconnect, gatewayDown (a gateway\'s KV nodes entry expired), presence (ask: current devices).',
    body: UserPresenceMessage,
  }),
  'svc.presence.query': message({
    subject: 'svc.presence.query',
    summary: 'Presence of users, from the user_presence table the user actors write.',
    body: Obj({ users: T.Array(Id, { minItems: 1, maxItems: 200 }) }),
    reply: Obj({ presence: T.Array(PresenceEntry) }),
  }),
};
