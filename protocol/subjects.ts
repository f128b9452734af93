// Every NATS subject, stream and bucket name Troupe uses is built here and nowhere else.
// protocol/README.md documents each one (see docs.ts).

/** Subject tokens may not contain these; ids are validated before they reach a subject. */
const BAD_TOKEN = /[\s.*>]/;

function token(kind: string, value: string | number): string {
  const t = String(value);
  if (t.length === 0 || BAD_TOKEN.test(t)) throw new Error(`invalid ${kind} for a subject token: ${JSON.stringify(t)}`);
  return t;
}

export const streams = {
  /** Durable actor mailboxes and their history. */
  actors: 'ACTORS',
  /** Storage-group binlogs. */
  storage: 'STORAGE',
} as const;

export const buckets = {
  leases: 'leases',
  nodes: 'nodes',
  config: 'config',
} as const;

export const subjects = {
  /** All actor mailboxes (the ACTORS stream's subject). */
  actorsAll: 'act.>',
  /** An actor's mailbox: act.<kind>.<partition>.<id>. */
  actor: (kind: string, partition: number, id: string) => `act.${token('kind', kind)}.${partition}.${token('id', id)}`,
  /** Filter of one partition's consumer. */
  actorPartition: (partition: number) => `act.*.${partition}.>`,
  /** A query to an actor, answered from its lease holder's memory (core request/reply): actq.<kind>.<partition>.<id>. */
  actorQuery: (kind: string, partition: number, id: string) => `actq.${token('kind', kind)}.${partition}.${token('id', id)}`,
  /** Queries to one partition's actors (what its lease holder subscribes to). */
  actorQueryPartition: (partition: number) => `actq.*.${partition}.>`,
  /** Push to a user's connected devices. */
  userEvents: (uid: string | number) => `evt.user.${token('user id', uid)}`,
  /** Broadcast to a room's members. */
  roomEvents: (rid: string) => `evt.room.${token('room id', rid)}`,
  /** A room's watch-together pushes; a gateway subscribes while it holds a connection watching the room. */
  watchEvents: (rid: string) => `evt.watch.${token('room id', rid)}`,
  /** Every event subject (what a gateway may subscribe to). */
  eventsAll: 'evt.>',
  /** A stateless service operation (core request/reply, queue group = the service name). */
  service: (service: string, op: string) => `svc.${token('service', service)}.${token('op', op)}`,
  serviceAll: (service: string) => `svc.${token('service', service)}.>`,
  /** A storage group's binlog. */
  storageLog: (group: string) => `storage.${token('group', group)}.log`,
  storageAll: 'storage.>',
} as const;

export const consumers = {
  /** A storage node's durable consumer on its group's binlog (one per node, kept across restarts). */
  storageNode: (nodeId: string) => `storage-${token('node id', nodeId)}`,
} as const;

/** Parses act.<kind>.<p>.<id> (the id may itself contain no dots); with `prefix` 'actq', a query's subject. */
export function parseActorSubject(subject: string, prefix: 'act' | 'actq' = 'act'): { kind: string; partition: number; id: string } | null {
  const parts = subject.split('.');
  if (parts.length !== 4 || parts[0] !== prefix) return null;
  const partition = Number(parts[2]);
  if (!Number.isInteger(partition)) return null;
  return { kind: parts[1], partition, id: parts[3] };
}

/** A valid subject token (for ids that become part of a subject). */
export function isSubjectToken(value: string): boolean {
  return value.length > 0 && value.length <= 128 && !BAD_TOKEN.test(value);
}
