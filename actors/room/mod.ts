// actors/room: the room actor, sole writer of a room's sequence and membership.
import { RoomMessage } from '../../protocol/mod.ts';
import { defineKind } from '../runtime/mod.ts';
import { roomMachine } from './machine.ts';
import { writeEntry, writeRoom, writeMembers } from './writers.ts';

export function roomKind(opts: { maxRoomMembers: number }) {
  return defineKind({
    kind: 'room',
    machine: roomMachine(opts.maxRoomMembers),
    version: 1,
    messages: RoomMessage,
    input: (id) => ({ rid: id }),
    writers: { entry: writeEntry, room: writeRoom, members: writeMembers },
  });
}

export { directMembers } from './rules.ts';
export * as roomRules from './rules.ts';

/** The direct conversation of two users. */
export function directRoomId(a: number, b: number): string {
  return a < b ? `d${a}-${b}` : `d${b}-${a}`;
}
