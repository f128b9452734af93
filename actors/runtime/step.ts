// Running a machine one message forward, purely: persisted state + event -> next state + effects.
// The same function runs on hosts, in `troupe replay` and in simulation.
import { createActor, type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import type { ActorKind, Effect, PersistedMachine } from './kind.ts';

export interface StepResult {
  state: PersistedMachine;
  effects: Effect[];
  /** Earliest deadline in the new context, if any. */
  deadline: number | null;
}

const EMIT = 'xstate.emit';

/**
 * What xstate's `transition` and `initialTransition` do, with one inert actor scope per machine
 * instead of a new one per call: a new scope creates an actor, which computes the machine's whole
 * initial state, and a new actor system, each time (three quarters of a step's cost and most of its
 * garbage). Our machines spawn nothing and only emit, so the scope holds nothing between steps.
 */
interface Scope {
  scope: AnyActorScope;
  actions: { type: string; params?: unknown }[];
}

const scopes = new WeakMap<AnyStateMachine, Scope>();

function scopeOf(machine: AnyStateMachine): Scope {
  let s = scopes.get(machine);
  if (!s) {
    const self = createActor(machine);
    const actions: Scope['actions'] = [];
    const scope = {
      self, defer: () => {}, id: '', logger: () => {}, sessionId: '', stopChild: () => {}, system: self.system, emit: () => {},
      actionExecutor: (a: { type: string; params?: unknown }) => { actions.push(a); },
    } as unknown as AnyActorScope;
    s = { scope, actions };
    scopes.set(machine, s);
  }
  s.actions.length = 0;
  return s;
}

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
  const { scope, actions } = scopeOf(kind.machine);
  const snap = kind.machine.getInitialSnapshot(scope, kind.input?.(id) as never);
  const state = persist(snap as AnyMachineSnapshot);
  return { state, effects: effectsOf(actions), deadline: earliestDeadline(state) };
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
  const { scope, actions } = scopeOf(kind.machine);
  const next = kind.machine.transition(snapshot, event as never, scope);
  const nextState = persist(next as AnyMachineSnapshot);
  return { state: nextState, effects: effectsOf(actions), deadline: earliestDeadline(nextState) };
}
