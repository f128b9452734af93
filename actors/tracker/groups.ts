// The tracker's rules over what the group actors reported: a group's usable free space, the group
// for a new user, the listing.
import type { GroupSummary, TrackedNode } from '../../protocol/mod.ts';

export interface KnownGroup {
  nodes: TrackedNode[];
  reportedAt: number;
}

export type Groups = Record<string, KnownGroup>;

/**
 * What a group can still take: the least free space among its active nodes, since every node of a
 * group stores every file (FastDFS does the same). 0 without an active node.
 */
export function usableFree(g: KnownGroup): number {
  const active = g.nodes.filter((n) => n.state === 'active');
  return active.length ? Math.min(...active.map((n) => n.freeBytes)) : 0;
}

/** The group with the most usable free space (at least `minFreeBytes`), ties by name; null if none has an active node. */
export function pickGroup(groups: Groups, minFreeBytes = 0): string | null {
  let best: string | null = null;
  let bestFree = -1;
  for (const name of Object.keys(groups).sort()) {
    const g = groups[name];
    if (!g.nodes.some((n) => n.state === 'active')) continue;
    const free = usableFree(g);
    if (free < minFreeBytes) continue;
    if (free > bestFree) {
      best = name;
      bestFree = free;
    }
  }
  return best;
}

export function summaries(groups: Groups): GroupSummary[] {
  return Object.keys(groups).sort().map((name) => {
    const g = groups[name];
    return { name, freeBytes: usableFree(g), active: g.nodes.filter((n) => n.state === 'active').length, nodes: g.nodes, reportedAt: g.reportedAt };
  });
}
