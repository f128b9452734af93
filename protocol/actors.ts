// The actor runtime's service messages (svc.actors.*), served by every host.
import { T, Obj, message } from './schema.ts';

const ActorAddress = { kind: T.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 32 }), id: T.String({ minLength: 1, maxLength: 128, pattern: '^[^\\s.*>]+$' }) };

export const actorMessages = {
  'svc.actors.result': message({
    subject: 'svc.actors.result',
    summary: 'The stored judgement of a message, by idempotency key (a retried ask whose first attempt was accepted): its reply, whether that is final (a refusal is not: the key is judged afresh when it comes again), and the stream sequence of the judged message.',
    body: Obj({ key: T.String({ minLength: 1, maxLength: 256 }) }),
    reply: Obj({ found: T.Boolean(), reply: T.Optional(T.Unknown()), final: T.Optional(T.Boolean()), seq: T.Optional(T.Integer()) }),
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
