// The actor runtime's service messages (svc.actors.*), served by every host.
import { T, Obj, message } from './schema.ts';

const ActorAddress = { kind: T.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 32 }), id: T.String({ minLength: 1, maxLength: 128, pattern: '^[^\\s.*>]+$' }) };

export const actorMessages = {
  'svc.actors.result': message({
    subject: 'svc.actors.result',
    summary: 'The stored reply of an applied message, by idempotency key (a retried ask whose first attempt was accepted).',
    body: Obj({ key: T.String({ minLength: 1, maxLength: 256 }) }),
    reply: Obj({ found: T.Boolean(), reply: T.Optional(T.Unknown()) }),
  }),
  'svc.actors.inspect': message({
    subject: 'svc.actors.inspect',
    summary: 'An actor\'s stored state, version, epoch and partition (troupe inspect).',
    body: Obj(ActorAddress),
    reply: Obj({
      found: T.Boolean(), partition: T.Integer(), version: T.Optional(T.Integer()), epoch: T.Optional(T.Integer()),
      machineVersion: T.Optional(T.Integer()), deadline: T.Optional(T.Union([T.Integer(), T.Null()])), state: T.Optional(T.Unknown()),
    }),
  }),
  'svc.actors.partitions': message({
    subject: 'svc.actors.partitions',
    summary: 'Every partition\'s fence: epoch, last applied stream sequence and holder (troupe partitions).',
    body: Obj({}),
    reply: Obj({ partitions: T.Array(Obj({ p: T.Integer(), epoch: T.Integer(), appliedSeq: T.Integer(), holder: T.String(), updatedAt: T.String() })) }),
  }),
};
