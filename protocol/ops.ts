// The registry of client ops, pushes and NATS messages: every area's schemas in one table.
import type { Static } from '@sinclair/typebox';
import type { OpSpec, PushSpec, MessageSpec } from './schema.ts';
import { TroupeError } from './errors.ts';
import { authOps, authMessages } from './auth.ts';
import { actorMessages } from './actors.ts';
import { presenceOps, presenceMessages } from './presence.ts';
import { chatOps, chatPushes, chatMessages } from './chat.ts';
import { adminMessages } from './admin.ts';
import { storageMessages } from './storage.ts';
import { groupMessages } from './groups.ts';
import { fileOps, fileMessages } from './files.ts';
import { gatewayOps, gatewayPushes } from './gateways.ts';
import { watchOps, watchPushes, watchMessages } from './watch.ts';

export const ops = {
  ...authOps,
  ...gatewayOps,
  ...presenceOps,
  ...chatOps,
  ...fileOps,
  ...watchOps,
} satisfies Record<string, OpSpec>;

export const pushes = {
  ...chatPushes,
  ...gatewayPushes,
  ...watchPushes,
} satisfies Record<string, PushSpec>;

export const messages = {
  ...authMessages,
  ...actorMessages,
  ...presenceMessages,
  ...chatMessages,
  ...adminMessages,
  ...storageMessages,
  ...groupMessages,
  ...fileMessages,
  ...watchMessages,
} satisfies Record<string, MessageSpec>;

export type OpName = keyof typeof ops;
export type RequestOf<N extends OpName> = Static<(typeof ops)[N]['request']>;
export type ResponseOf<N extends OpName> = Static<(typeof ops)[N]['response']>;
export type PushName = keyof typeof pushes;
export type PushOf<N extends PushName> = Static<(typeof pushes)[N]['body']>;
export type MessageName = keyof typeof messages;
export type BodyOf<N extends MessageName> = Static<(typeof messages)[N]['body']>;
export type ReplyOf<N extends MessageName> = Static<NonNullable<(typeof messages)[N]['reply']>>;

/** The error codes op `N` lists (its `errors`). */
export type OpError<N extends OpName> = (typeof ops)[N]['errors'][number];

/** An op's refusal, as a TroupeError: only a code the op lists type-checks. */
export function refusal<N extends OpName>(_op: N, code: OpError<N>, message: string): TroupeError {
  return new TroupeError(code, message);
}

export function isOpName(name: string): name is OpName {
  return Object.hasOwn(ops, name);
}
