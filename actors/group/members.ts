// The storage-group actor's rules, as pure functions over its members: what a join or a beat
// changes, who is the least loaded, who holds a file, and when the tracker needs to hear about it.
import { holdsFile } from '../../storage/mod.ts';
import type { GroupMember, MemberState, NodeReport, Target, TrackedNode } from '../../protocol/mod.ts';

export type Member = Omit<GroupMember, 'node'>;
export type Members = Record<string, Member>;

/**
 * The members after a join or beat: the report is the truth about the node (one node's messages
 * arrive in the order it sent them). A join, or a beat with a new `startedAt` (a restart), starts
 * the membership over.
 */
export function applyReport(members: Members, r: NodeReport, at: number, join: boolean): Members {
  const prev = members[r.node];
  const restarted = prev !== undefined && prev.startedAt !== r.startedAt;
  const next: Member = {
    url: r.url,
    state: r.state,
    appliedSeq: r.appliedSeq,
    lagRecords: r.lagRecords,
    activeTransfers: r.activeTransfers,
    assigned: 0,
    bytesInPerSecond: r.bytesInPerSecond,
    bytesOutPerSecond: r.bytesOutPerSecond,
    freeBytes: r.freeBytes,
    totalBytes: r.totalBytes,
    startedAt: r.startedAt,
    joinedAt: prev === undefined || join || restarted ? at : prev.joinedAt,
    lastBeatAt: at,
  };
  return { ...members, [r.node]: next };
}

export function setState(members: Members, node: string, state: MemberState): Members {
  const m = members[node];
  if (!m || m.state === state) return members;
  return { ...members, [node]: { ...m, state } };
}

/** Lower is less loaded: transfers running at the last beat plus targets handed out since. */
export function loadOf(m: Member): number {
  return m.activeTransfers + m.assigned;
}

function order(members: Members): (a: string, b: string) => number {
  return (a, b) => {
    const x = members[a];
    const y = members[b];
    return loadOf(x) - loadOf(y)
      || (x.bytesInPerSecond + x.bytesOutPerSecond) - (y.bytesInPerSecond + y.bytesOutPerSecond)
      || a.localeCompare(b);
  };
}

/** Active nodes with room for `minFreeBytes`, least-loaded first. */
export function uploadTargets(members: Members, minFreeBytes = 0): string[] {
  return Object.keys(members).filter((n) => members[n].state === 'active' && members[n].freeBytes >= minFreeBytes).sort(order(members));
}

/** Active nodes that hold the file (storage/replication.ts's holder rule), least-loaded first. */
export function readTargets(members: Members, file: { origin: string; binlogSeq: number }): string[] {
  return Object.keys(members)
    .filter((n) => members[n].state === 'active' && holdsFile(file, { nodeId: n, appliedSeq: members[n].appliedSeq }))
    .sort(order(members));
}

/** Counts a target handed out against the node's load until its next beat. */
export function assign(members: Members, node: string): Members {
  const m = members[node];
  return m ? { ...members, [node]: { ...m, assigned: m.assigned + 1 } } : members;
}

export function targets(members: Members, nodes: string[]): Target[] {
  return nodes.map((node) => ({ node, url: members[node].url }));
}

export function view(group: string, members: Members): { group: string; members: GroupMember[] } {
  return { group, members: Object.keys(members).sort().map((node) => ({ node, ...members[node] })) };
}

/** What the tracker keeps of each node. */
export function tracked(members: Members): TrackedNode[] {
  return Object.keys(members).sort().map((node) => {
    const m = members[node];
    return { node, url: m.url, state: m.state, freeBytes: m.freeBytes, totalBytes: m.totalBytes };
  });
}

/** Free space that moved by more than this share of the disk is worth a report. */
export const FREE_SPACE_REPORT_SHARE = 0.01;

/**
 * Whether the tracker's copy is out of date in a way that matters: nodes, URLs or states differ,
 * or a node's free space moved by more than 1 % of its disk (the tracker picks groups by it).
 */
export function material(reported: TrackedNode[] | null, now: TrackedNode[]): boolean {
  if (reported === null || reported.length !== now.length) return true;
  return now.some((n, i) => {
    const r = reported[i];
    return r.node !== n.node || r.url !== n.url || r.state !== n.state
      || Math.abs(r.freeBytes - n.freeBytes) > n.totalBytes * FREE_SPACE_REPORT_SHARE;
  });
}

export const offlineTimer = (node: string) => `offline:${node}`;

export function nodeOfTimer(name: string): string | null {
  return name.startsWith('offline:') ? name.slice('offline:'.length) : null;
}
