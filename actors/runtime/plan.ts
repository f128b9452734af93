// Planning a batch, purely: mailbox messages in; the actors' next states, the inbox rows, the
// outbox sends, the domain writes and the outcomes (replies and events to publish after commit)
// out. Like xstate's `transition` beside the interpreter that executes its actions, this is the
// decision part of the worker (worker.ts), which does the I/O: it reads what a plan needs, has the
// host's committer (committer.ts) commit it, and publishes and acks after the commit. Nothing here
// awaits, reads a clock or logs.
import { subjects, parseActorSubject, validate, TroupeError } from '../../protocol/mod.ts';
import type { ActorKind, Effect, EventMeta, PersistedMachine } from './kind.ts';
import { initialState, restore, step, dueDeadlines, earliestDeadline } from './step.ts';
import { partitionOf } from './partition.ts';
import { TIMERS, decodeJson, okReply, errorReply, isFinalReply, type Reply } from './messages.ts';
import type { InboxEntry, KeyResult, MailboxMessage, OutboxEntry, PlannedWrite, StoredActor } from './ports.ts';

export const actorKey = (kind: string, id: string) => `${kind}.${id}`;

/** A mailbox message as the planner sees it: its actor and event, or why it cannot be applied. */
export interface Parsed {
  msg: MailboxMessage;
  kind: string;
  id: string;
  /** The event for the machine (with `loaded` rows once read), or absent when `error` is set. */
  event?: { type: string; [k: string]: unknown };
  error?: TroupeError;
}

/** What is published once the message's batch has committed. */
export interface Outcome {
  msg: MailboxMessage;
  reply?: Reply;
  publishes: { subject: string; body: unknown }[];
}

/** An actor a batch changed: its state after the batch and the version the store holds before it. */
export interface Change {
  kind: string;
  id: string;
  base: number;
  /** The state at `base` (undefined for a new actor): what the store holds before the batch. */
  baseState?: PersistedMachine;
  stored: StoredActor;
}

/** Everything a batch decided. Plans of consecutive rounds of one partition merge (`mergePlan`). */
export interface Plan {
  changes: Map<string, Change>;
  /** One row per key: a key judged twice (a refusal, then a fresh retry) keeps the last judgement. */
  inbox: Map<string, InboxEntry>;
  sends: Omit<OutboxEntry, 'id'>[];
  writes: PlannedWrite[];
  outcomes: Outcome[];
  applied: { actor: string; version: number; key: string; seq: number }[];
  refused: { actor: string; key: string; seq: number }[];
  /** Each version an actor went through (observers: replay audits, simulation). */
  staged: { actor: string; version: number; seq: number; state: PersistedMachine }[];
  /** Per message: the kind and outcome (`ok`, an error code, `machine_error`, `unchanged`), for metrics. */
  counts: { kind: string; outcome: string }[];
  /** Machines that threw: answered `internal`, not applied; the worker logs them. */
  failures: { actor: string; type: string; error: unknown }[];
}

export function emptyPlan(): Plan {
  return { changes: new Map(), inbox: new Map(), sends: [], writes: [], outcomes: [], applied: [], refused: [], staged: [], counts: [], failures: [] };
}

/** Whether committing the plan writes anything (a batch of only unchanged answers writes nothing). */
/** Whether a context field the kind keeps apart changed between the two states (by reference). */
export function apartChanged(keys: readonly string[], base: PersistedMachine | undefined, next: PersistedMachine): boolean {
  if (!base) return true;
  return keys.some((k) => base.context?.[k] !== next.context?.[k]);
}

export function isDurable(plan: Plan): boolean {
  return plan.changes.size > 0 || plan.inbox.size > 0 || plan.sends.length > 0 || plan.writes.length > 0;
}

/** Appends `later` (planned on top of `into`'s states) to `into`. */
export function mergePlan(into: Plan, later: Plan): Plan {
  for (const [ak, c] of later.changes) {
    const prior = into.changes.get(ak);
    into.changes.set(ak, prior ? { ...c, base: prior.base, baseState: prior.baseState } : c);
  }
  for (const [k, e] of later.inbox) {
    into.inbox.delete(k); // re-inserted last: the map keeps judgement order
    into.inbox.set(k, e);
  }
  into.sends.push(...later.sends);
  into.writes.push(...later.writes);
  into.outcomes.push(...later.outcomes);
  into.applied.push(...later.applied);
  into.refused.push(...later.refused);
  into.staged.push(...later.staged);
  into.counts.push(...later.counts);
  into.failures.push(...later.failures);
  return into;
}

/** Parses and validates a mailbox message for its kind. */
export function parseMessage(msg: MailboxMessage, kinds: ReadonlyMap<string, ActorKind>, poisoned: ReadonlySet<string>): Parsed {
  const addr = parseActorSubject(msg.subject);
  if (!addr) return { msg, kind: '?', id: '?', error: new TroupeError('bad_request', `not an actor subject: ${msg.subject}`) };
  const kind = kinds.get(addr.kind);
  if (!kind) return { msg, kind: addr.kind, id: addr.id, error: new TroupeError('not_found', `no actor kind "${addr.kind}"`) };
  if (poisoned.has(msg.key)) return { msg, kind: addr.kind, id: addr.id, error: new TroupeError('internal', 'the message could not be applied (logged)') };
  let body: unknown;
  try {
    body = decodeJson(msg.data);
  } catch {
    return { msg, kind: addr.kind, id: addr.id, error: new TroupeError('bad_json', 'message body is not JSON') };
  }
  const meta: EventMeta = { at: msg.time, key: msg.key, from: msg.from, asked: msg.replyTo !== undefined };
  if ((body as { type?: unknown })?.type === TIMERS) {
    const at = (body as { at?: unknown }).at;
    return { msg, kind: addr.kind, id: addr.id, event: { type: TIMERS, meta, ...(typeof at === 'number' && Number.isFinite(at) ? { at } : {}) } };
  }
  try {
    validate(kind.messages, body, 'bad_request', `${addr.kind} message`);
  } catch (e) {
    return { msg, kind: addr.kind, id: addr.id, error: e as TroupeError };
  }
  return { msg, kind: addr.kind, id: addr.id, event: { ...(body as object), meta } as unknown as Parsed['event'] };
}

/** Whether the kind reads facts from the record for this event (ActorKind.loads). */
export function needsLoad(p: Parsed, kinds: ReadonlyMap<string, ActorKind>): boolean {
  return p.event !== undefined && p.event.type !== TIMERS && kinds.get(p.kind)?.loads?.[p.event.type] !== undefined;
}

export interface PlanInput {
  kinds: ReadonlyMap<string, ActorKind>;
  epoch: number;
  partitions: number;
  /** Messages in stream order (loads already attached to their events). */
  parsed: readonly Parsed[];
  /**
   * An actor's state before this round: what earlier, uncommitted rounds staged, else what is in
   * memory, else what was read from the store; undefined for an actor that does not exist yet.
   */
  actorOf(ak: string): StoredActor | undefined;
  /**
   * A key's judgement before this round: by a batch in hand, else as the inbox holds it (read
   * only when something may be a retry). A lookup, not a map: copying every staged key into each
   * round cost a host more than planning the round.
   */
  seenOf(key: string): KeyResult | undefined;
}

/**
 * Steps every message through its actor's machine and classifies the effects. A message that
 * changed nothing (same state, no write, send or event) is answered and leaves no trace: no
 * snapshot, no version, no inbox row (`unchanged`); run again, it would answer the same, because
 * nothing changed the actor meanwhile (any change would have been committed after it). A refusal
 * (an error reply that changed nothing) is answered and remembered as not final.
 */
export function planBatch(input: PlanInput): Plan {
  const { kinds, epoch, partitions } = input;
  const plan = emptyPlan();
  const judged = new Map<string, KeyResult>();
  const seenOf = (key: string) => judged.get(key) ?? input.seenOf(key);
  const current = (ak: string): StoredActor | undefined => plan.changes.get(ak)?.stored ?? input.actorOf(ak);
  const judge = (p: Parsed, reply: Reply | undefined, final: boolean) => {
    const { msg } = p;
    const stored = msg.replyTo ? reply ?? null : null;
    plan.inbox.delete(msg.key);
    plan.inbox.set(msg.key, { key: msg.key, kind: p.kind, id: p.id, seq: msg.seq, reply: stored, final });
    judged.set(msg.key, { reply: stored, final, seq: msg.seq });
  };
  for (const p of input.parsed) {
    const { msg } = p;
    const prior = seenOf(msg.key);
    if (prior?.final) {
      // applied before (a retry after the duplicate window): answer again, change nothing
      plan.outcomes.push({ msg, reply: (prior.reply as Reply | null) ?? undefined, publishes: [] });
      plan.counts.push({ kind: p.kind, outcome: 'duplicate' });
      continue;
    }
    // new, or refused before: judged (afresh)
    if (!p.event) {
      const reply = errorReply(p.error!.code, p.error!.message);
      plan.outcomes.push({ msg, reply, publishes: [] });
      judge(p, reply, isFinalReply(reply));
      plan.counts.push({ kind: p.kind, outcome: p.error!.code });
      continue;
    }
    const kind = kinds.get(p.kind)!;
    const ak = actorKey(p.kind, p.id);
    const was = current(ak);
    const effects: Effect[] = [];
    let before: PersistedMachine | null = null;
    let state: PersistedMachine;
    let reply: Reply | undefined;
    try {
      if (!was || (was.version === 0 && was.state === null)) {
        const init = initialState(kind, p.id);
        state = init.state;
        effects.push(...init.effects);
        // an actor that would be refused its first message is never created
        if (init.effects.length === 0) before = state;
      } else {
        state = restore(kind, was.state, was.machineVersion);
        before = state;
      }
      if (p.event.type === TIMERS) {
        // due: every deadline up to the one the timer was armed for, or up to the stream's time
        // if that is later (a timer message that found nothing due would never come again: its
        // key is the deadline's, and a re-publish is a duplicate)
        const at = typeof p.event.at === 'number' ? p.event.at : -Infinity;
        for (const due of dueDeadlines(state, Math.max(msg.time, at))) {
          const r = step(kind, state, { type: 'timer', name: due.name, meta: p.event.meta } as { type: string });
          state = r.state;
          effects.push(...r.effects);
        }
      } else {
        const r = step(kind, state, p.event);
        state = r.state;
        effects.push(...r.effects);
      }
      for (const eff of effects) if (eff.type === 'write' && !kind.writers?.[eff.op]) throw new Error(`${p.kind} has no writer for "${eff.op}"`);
    } catch (error) {
      plan.failures.push({ actor: ak, type: p.event.type, error });
      reply = errorReply('internal', 'the actor failed to handle this message (logged)');
      plan.outcomes.push({ msg, reply, publishes: [] });
      judge(p, reply, false);
      plan.counts.push({ kind: p.kind, outcome: 'machine_error' });
      continue;
    }
    for (const eff of effects) {
      if (eff.type === 'reply') reply ??= okReply(eff.body);
      else if (eff.type === 'fail') reply ??= errorReply(eff.code, eff.message, eff.reason);
    }
    const answersOnly = effects.every((e) => e.type === 'reply' || e.type === 'fail');
    if (answersOnly && before !== null && (!reply || reply.ok) && untouched(before, state)) {
      // nothing changed and nothing to remember: answered, no trace
      if (!reply && msg.replyTo) reply = okReply();
      plan.outcomes.push({ msg, reply, publishes: [] });
      plan.counts.push({ kind: p.kind, outcome: 'unchanged' });
      continue;
    }
    if (answersOnly && before !== null && !isFinalReply(reply) && JSON.stringify(state) === JSON.stringify(before)) {
      // a refusal: answered, nothing stored but the answer (not final), no new version
      plan.outcomes.push({ msg, reply, publishes: [] });
      judge(p, reply, false);
      plan.refused.push({ actor: ak, key: msg.key, seq: msg.seq });
      plan.counts.push({ kind: p.kind, outcome: (reply as { error: { code: string } }).error.code });
      continue;
    }
    const publishes: Outcome['publishes'] = [];
    let sendIndex = 0;
    for (const eff of effects) {
      switch (eff.type) {
        case 'publish': publishes.push({ subject: eff.subject, body: eff.body }); break;
        case 'send': {
          const target = subjects.actor(eff.kind, partitionOf(eff.kind, eff.id, partitions), eff.id);
          plan.sends.push({ subject: target, key: eff.key ?? `${msg.key}/${sendIndex++}`, body: eff.body, origin: ak });
          break;
        }
        case 'write':
          plan.writes.push({ writer: kind.writers![eff.op] as PlannedWrite['writer'], op: eff.op, data: eff.data, actor: { kind: p.kind, id: p.id } });
          break;
        default: break;
      }
    }
    if (!reply && msg.replyTo) reply = okReply();
    const version = (was?.version ?? 0) + 1;
    const earlier = plan.changes.get(ak);
    plan.changes.set(ak, {
      kind: p.kind, id: p.id, base: earlier ? earlier.base : was?.version ?? 0, baseState: earlier ? earlier.baseState : was?.state ?? undefined,
      stored: { version, epoch, machineVersion: kind.version, state, deadline: earliestDeadline(state) },
    });
    plan.outcomes.push({ msg, reply, publishes });
    judge(p, reply, true);
    plan.applied.push({ actor: ak, version, key: msg.key, seq: msg.seq });
    plan.staged.push({ actor: ak, version, seq: msg.seq, state });
    plan.counts.push({ kind: p.kind, outcome: reply && !reply.ok ? (reply as { error: { code: string } }).error.code : 'ok' });
  }
  return plan;
}

/**
 * The answer to a query (ActorKind.queries) from an actor's committed state: the machine steps as
 * for a message; what the step changes is forgotten.
 */
export function answerQuery(kind: ActorKind, id: string, stored: StoredActor | undefined, event: { type: string; [k: string]: unknown }): Reply {
  try {
    const state = stored ? restore(kind, stored.state, stored.machineVersion) : initialState(kind, id).state;
    let reply: Reply | undefined;
    for (const eff of step(kind, state, event).effects) {
      if (eff.type === 'reply') reply ??= okReply(eff.body);
      else if (eff.type === 'fail') reply ??= errorReply(eff.code, eff.message, eff.reason);
    }
    return reply ?? okReply();
  } catch {
    return errorReply('internal', 'the actor failed to answer this query');
  }
}

/**
 * Whether a step left the state as it was: xstate keeps the context object when no action assigned
 * to it. (A context assigned anew counts as changed even when equal: it is written, as before.)
 */
function untouched(before: PersistedMachine, after: PersistedMachine): boolean {
  return before.context === after.context && (before.value === after.value || JSON.stringify(before.value) === JSON.stringify(after.value));
}
