// Accounts and sessions: client ops and the svc.auth.* service messages behind them.
import { T, Obj, op, message, UserName, Password, UserRef, Device, Empty, Id } from './schema.ts';

const Session = Obj({
  token: T.String({ description: 'opaque session token; keep it to resume' }),
  user: UserRef,
  expiresAt: T.String({ description: 'ISO 8601 expiry of the token' }),
});

export const authOps = {
  'auth.register': op({
    summary: 'Create an account. Does not log in.',
    auth: false,
    request: Obj({ name: UserName, password: Password }),
    response: Obj({ user: UserRef }),
    errors: ['bad_request', 'name_taken'],
  }),
  'auth.login': op({
    summary: 'Log in with name and password; returns a session token.',
    auth: false,
    request: Obj({ name: UserName, password: T.String({ minLength: 1, maxLength: 128 }), device: T.Optional(Device) }),
    response: Session,
    errors: ['bad_credentials', 'already_authenticated'],
    notes: 'The device defaults to `{ "type": "cli" }`.',
  }),
  'auth.resume': op({
    summary: 'Log in with a session token from an earlier login (after a reconnect).',
    auth: false,
    request: Obj({ token: T.String({ minLength: 1, maxLength: 256 }), device: T.Optional(Device) }),
    response: Session,
    errors: ['session_expired', 'already_authenticated'],
  }),
  'auth.logout': op({
    summary: 'Revoke this connection\'s session token; the connection stays open, logged out.',
    auth: true,
    request: Empty,
    response: Empty,
    errors: [],
  }),
  ping: op({
    summary: 'Heartbeat; any frame resets the idle timer, ping is the cheap one.',
    auth: false,
    request: Obj({ t: T.Optional(T.Number({ description: 'echoed back' })) }),
    response: Obj({ t: T.Optional(T.Number()), now: T.Number({ description: 'server time, ms since the epoch' }) }),
    errors: [],
  }),
};

/** What the auth service grants the gateway: the client's session plus what the gateway keeps. */
const SessionGrant = Obj({ token: T.String(), user: UserRef, expiresAt: T.String(), sessionId: Id, device: Device });

export const authMessages = {
  'svc.auth.register': message({
    subject: 'svc.auth.register',
    summary: 'Create an account (hash the password, insert the user).',
    body: Obj({ name: UserName, password: Password }),
    reply: Obj({ user: UserRef }),
  }),
  'svc.auth.login': message({
    subject: 'svc.auth.login',
    summary: 'Check a password and open a session.',
    body: Obj({ name: UserName, password: T.String({ minLength: 1, maxLength: 128 }), device: Device, gateway: T.String() }),
    reply: SessionGrant,
  }),
  'svc.auth.resume': message({
    subject: 'svc.auth.resume',
    summary: 'Check a session token (unknown, revoked and expired tokens fail).',
    body: Obj({ token: T.String({ minLength: 1, maxLength: 256 }), device: T.Optional(Device), gateway: T.String() }),
    reply: SessionGrant,
  }),
  'svc.auth.logout': message({
    subject: 'svc.auth.logout',
    summary: 'Revoke a session.',
    body: Obj({ sessionId: Id }),
    reply: Empty,
  }),
};
