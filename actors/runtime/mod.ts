// actors/runtime: sharded, single-activation actors on NATS JetStream and Postgres.
// A kind is a pure xstate machine (kind.ts); the worker (worker.ts) is where a mailbox message
// changes an actor's state; the host (host.ts) places partitions and holds their leases.
export { defineKind, effects, type ActorKind, type Effect, type EventMeta, type TimerEvent, type PersistedMachine, type DomainWriter, type BatchWriter, type DomainLoader, type LoadedRows, type ActorEvent } from './kind.ts';
export { step, initialState, restore, earliestDeadline } from './step.ts';
export { fnv1a32, partitionOf, ownerOf } from './partition.ts';
export { ActorClient, type AskOptions } from './client.ts';
export { ActorHost, leaseKey, type HostConfig, type HostObserver } from './host.ts';
export { PgStore } from './pg-store.ts';
export { startActorRuntime, provisionRuntime, readPartitionCount, natsActorClient, type ActorRuntime, type RuntimeSettings } from './runtime.ts';
export { consumerName, NatsLeases, HEADER_REPLY, HEADER_FROM } from './nats-ports.ts';
export { decodeJson, encodeJson, TIMERS } from './messages.ts';
export { readHistory, replayInto, streamBounds, type HistoryMessage, type HistoryRange } from './replay.ts';
