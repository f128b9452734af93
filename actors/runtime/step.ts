// Running a machine one message forward, purely: persisted state + event -> next state + effects.
// The same function runs on hosts, in `troupe replay` and in simulation.
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import type { ActorKind, Effect, PersistedMachine } from './kind.ts';

export interface StepResult {
  state: PersistedMachine;
  effects: Effect[];
  /** Earliest deadline in the new context, if any. */
  deadline: number | null;
}

const EMIT = 'xstate.emit';

function effectsOf(actions: readonly { type: string; params?: unknown }[]): Effect[] {
  const out: Effect[] = [];
  for (const a of actions) {
    if (a.type === EMIT) out.push((a.params as { event: Effect }).event);
  }
  return out;
}

function persist(s: AnyMachineSnapshot): PersistedMachine {
  if (s.status === 'error') throw (s as { error?: unknown }).error ?? new Error('machine error');
  return { value: s.value, context: s.context as Record<string, unknown> };
}

/** Deadlines live in `context.deadlines` as `{ name: ms }`; the earliest one is scheduled. */
export function earliestDeadline(state: PersistedMachine): number | null {
  const d = state.context?.deadlines as Record<string, number> | undefined;
  if (!d) return null;
  let min: number | null = null;
  for (const v of Object.values(d)) if (typeof v === 'number' && (min === null || v < min)) min = v;
  return min;
}

/** Due deadlines, earliest first. */
export function dueDeadlines(state: PersistedMachine, now: number): { name: string; at: number }[] {
  const d = state.context?.deadlines as Record<string, number> | undefined;
  if (!d) return [];
  return Object.entries(d).filter(([, at]) => typeof at === 'number' && at <= now).map(([name, at]) => ({ name, at })).sort((a, b) => a.at - b.at);
}

/** The state of an actor that has never run, with the effects of its initial entry actions. */
export function initialState(kind: ActorKind, id: string): StepResult {
  const [snap, actions] = initialTransition(kind.machine, kind.input?.(id) as never);
  const state = persist(snap);
  return { state, effects: effectsOf(actions as never), deadline: earliestDeadline(state) };
}

/** Restores a persisted state, migrating it from an older machine version first. */
export function restore(kind: ActorKind, state: PersistedMachine, machineVersion: number): PersistedMachine {
  if (machineVersion === kind.version) return state;
  if (machineVersion > kind.version) throw new Error(`${kind.kind} snapshot has machine version ${machineVersion}, newer than this code (${kind.version})`);
  if (!kind.migrate) throw new Error(`${kind.kind} snapshot has machine version ${machineVersion} and the kind has no migrate()`);
  return kind.migrate(state, machineVersion);
}

export function step(kind: ActorKind, state: PersistedMachine, event: { type: string }): StepResult {
  const snapshot = kind.machine.resolveState(state as never);
  const [next, actions] = transition(kind.machine, snapshot, event as never);
  const nextState = persist(next as AnyMachineSnapshot);
  return { state: nextState, effects: effectsOf(actions as never), deadline: earliestDeadline(nextState) };
}
