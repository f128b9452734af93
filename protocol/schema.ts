// Helpers that turn one TypeBox schema per wire type into the three things the project needs
// from it: the TypeScript type (Static), runtime validation (compiled checkers) and the
// protocol reference (docs.ts renders the same schemas into README.md).
import { Type as T, type Static, type TSchema, type TObject, type TProperties, type TUnion, type TLiteral } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { TroupeError, type ErrorCode } from './errors.ts';

export { T, type Static, type TSchema };

/** A closed object: unknown fields are an error, so typos surface instead of being ignored. */
export function Obj<P extends TProperties>(properties: P, description?: string): TObject<P> {
  return T.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) });
}

/**
 * The variant of a message union whose `type` is `type` (found by the literal, never by position,
 * so adding a variant cannot shift which schema a name documents).
 */
export function variant<U extends TUnion<TObject[]>, K extends string>(union: U, type: K): Extract<U['anyOf'][number], TObject<{ type: TLiteral<K> }>> {
  const found = union.anyOf.find((v) => (v.properties as { type?: { const?: unknown } }).type?.const === type);
  if (!found) throw new Error(`no variant with type "${type}" in the union`);
  return found as Extract<U['anyOf'][number], TObject<{ type: TLiteral<K> }>>;
}

/** A client request/response pair (fields beside `op`/`rid` and beside `rid`/`ok`). */
export interface OpSpec<Req extends TSchema = TSchema, Res extends TSchema = TSchema, E extends ErrorCode = ErrorCode> {
  summary: string;
  /** false: allowed before login. */
  auth: boolean;
  request: Req;
  response: Res;
  /**
   * The codes the op itself answers with (beside the envelope's own: bad_request for a malformed
   * request, rate limits, timeouts). Code that refuses on behalf of an op does it through
   * `refusal(op, code)`, which only takes a listed code, so the list cannot fall behind.
   */
  errors: readonly E[];
  notes?: string;
}

export function op<Req extends TSchema, Res extends TSchema, const E extends ErrorCode = never>(spec: OpSpec<Req, Res, E>): OpSpec<Req, Res, E> {
  return spec;
}

/** A server push (an envelope with `op` and no `rid`). */
export interface PushSpec<S extends TSchema = TSchema> {
  summary: string;
  body: S;
}

export function push<S extends TSchema>(spec: PushSpec<S>): PushSpec<S> {
  return spec;
}

/** A NATS message: a service request/reply or an actor message, with its subject pattern. */
export interface MessageSpec<S extends TSchema = TSchema, R extends TSchema = TSchema> {
  subject: string;
  summary: string;
  body: S;
  reply?: R;
}

export function message<S extends TSchema, R extends TSchema = TSchema>(spec: MessageSpec<S, R>): MessageSpec<S, R> {
  return spec;
}

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checker<S extends TSchema>(schema: S): TypeCheck<S> {
  let c = compiled.get(schema);
  if (!c) {
    c = TypeCompiler.Compile(schema);
    compiled.set(schema, c);
  }
  return c as TypeCheck<S>;
}

/** Validates `value` against `schema`; throws TroupeError(code) naming the first bad field. */
export function validate<S extends TSchema>(schema: S, value: unknown, code: ErrorCode = 'bad_request', what = 'request'): Static<S> {
  const c = checker(schema);
  if (c.Check(value)) return value as Static<S>;
  const first = c.Errors(value).First();
  const where = first?.path ? first.path.replace(/^\//, '').replace(/\//g, '.') : what;
  throw new TroupeError(code, `${where || what}: ${first?.message ?? 'invalid'}`);
}

export function isValid<S extends TSchema>(schema: S, value: unknown): value is Static<S> {
  return checker(schema).Check(value);
}

// Shared field types.
export const Id = T.Integer({ minimum: 1, description: 'a positive integer id' });
export const UserName = T.String({ minLength: 3, maxLength: 32, pattern: '^[A-Za-z0-9_.-]+$', description: '3-32 letters, digits, _ . -' });
export const Password = T.String({ minLength: 8, maxLength: 128, description: '8-128 characters' });
export const UserRef = Obj({ id: Id, name: T.String() }, 'a user');
export const DeviceType = T.Union([T.Literal('desktop'), T.Literal('mobile'), T.Literal('web'), T.Literal('cli'), T.Literal('bot')], { description: 'device type; one login per type is kept (TeamTalk policy)' });
export const Device = Obj({
  type: DeviceType,
  name: T.Optional(T.String({ maxLength: 64 })),
}, 'the device logging in');
export const Empty = Obj({});
// A room id is used by the chat, storage-group and watch schemas alike, so it lives with the shared fields.
export const RoomId = T.String({ pattern: '^(g[a-z2-7]{12}|d(0|[1-9][0-9]{0,15})-[1-9][0-9]{0,15})$', description: 'room id: g… for groups, d<uid>-<uid> for a direct conversation (d0-<uid>: a user\'s system messages)' });
