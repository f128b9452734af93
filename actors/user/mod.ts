// actors/user: the user actor (presence now; friends and devices as chat grows).
import { T, UserPresenceMessage, UserFriendMessage } from '../../protocol/mod.ts';
import { defineKind } from '../runtime/mod.ts';
import { userMachine } from './machine.ts';
import { writeConnections, writeFriend } from './writers.ts';

export function userKind(opts: { maxDevices: number }) {
  return defineKind({
    kind: 'user',
    machine: userMachine(opts.maxDevices),
    version: 1,
    messages: T.Union([UserPresenceMessage, UserFriendMessage]),
    input: (id) => ({ uid: Number(id) }),
    writers: { connections: writeConnections, friend: writeFriend },
  });
}

export * as presenceRules from './presence.ts';
