// actors/room: the room actor, sole writer of a room's sequence and membership.
import { sql } from 'drizzle-orm';
import { RoomMessage } from '../../protocol/mod.ts';
import { defineKind } from '../runtime/mod.ts';
import { roomMachine } from './machine.ts';
import { entryWriter, writeRoom, writeMembers } from './writers.ts';

export function roomKind(opts: { maxRoomMembers: number }) {
  return defineKind({
    kind: 'room',
    machine: roomMachine(opts.maxRoomMembers),
    version: 2,
    // 2: `watched` (whether the room's watch actor hears membership changes)
    migrate: (state) => ({ ...state, context: { ...state.context, watched: false } }),
    messages: RoomMessage,
    input: (id) => ({ rid: id }),
    writers: { entry: entryWriter, room: writeRoom, members: writeMembers },
    // who wrote the target of an edit or recall, and whether it was recalled, from the room's own
    // rows: the room decides, nothing the gateway read before the ask is trusted
    loads: { edit: targetEntry, recall: targetEntry },
    queries: ['info'],
    // a post changes the sequence, not the member map: the map is written only when it changes
    apart: ['members'],
  });
}

export { directMembers } from './rules.ts';
export * as roomRules from './rules.ts';

function targetEntry(event: { type: string; [k: string]: unknown }, actor: { id: string }) {
  return sql`select sender_id as sender, kind, recalled from messages where room_id = ${actor.id} and seq = ${Number(event.target)}`;
}

/** The direct conversation of two users. */
export function directRoomId(a: number, b: number): string {
  return a < b ? `d${a}-${b}` : `d${b}-${a}`;
}
