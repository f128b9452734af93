// Watch rooms on media servers (seed 000, bullets 3 and 5), as pure functions over the group
// actor's placements: the storage nodes are the media servers. A room's viewers read from one
// node that holds its movie while that node has capacity; when the room's nodes are full, another
// holder is added for the room; a node whose room viewer count falls to 0 is released; the room's
// mapping is cleared when its last viewer goes. The watch actor reports the viewers (versioned);
// the files service asks where one viewer reads from.
import { holdsFile } from '../../storage/mod.ts';
import type { PlacedFile, RoomPlacement as RoomView } from '../../protocol/mod.ts';
import type { Members } from './members.ts';

export interface RoomPlacement {
  /** The watch actor's viewer-list version this reflects (-1: only provisional placements so far). */
  v: number;
  file: PlacedFile | null;
  /** Viewer (connection) -> the node it reads from (null: not placed yet). */
  viewers: Record<string, string | null>;
  /** The nodes serving the room, in the order they were added. */
  nodes: string[];
}

export type Placements = Record<string, RoomPlacement>;

export interface Capacity {
  /** Viewers one node serves (across rooms) before it counts as full. */
  viewersPerNode: number;
  /** Bytes/s sent (from the node's heartbeats) at which a node counts as full; 0: not used. */
  bytesPerSecond: number;
}

/** Viewers placed on `node`, over every room. */
export function nodeViewers(p: Placements, node: string): number {
  let n = 0;
  for (const r of Object.values(p)) for (const at of Object.values(r.viewers)) if (at === node) n++;
  return n;
}

function roomViewersOn(r: RoomPlacement, node: string): number {
  return Object.values(r.viewers).filter((n) => n === node).length;
}

/** An active node that holds the file. */
export function canServe(members: Members, node: string, file: PlacedFile): boolean {
  const m = members[node];
  return m !== undefined && m.state === 'active' && holdsFile({ origin: file.origin, binlogSeq: file.binlogSeq }, { nodeId: node, appliedSeq: m.appliedSeq });
}

export function isFull(members: Members, p: Placements, node: string, cap: Capacity): boolean {
  const m = members[node];
  if (!m) return true;
  return nodeViewers(p, node) >= cap.viewersPerNode || (cap.bytesPerSecond > 0 && m.bytesOutPerSecond >= cap.bytesPerSecond);
}

/** Least loaded first: viewers placed, then bytes/s sent, then the name. */
function byLoad(members: Members, p: Placements): (a: string, b: string) => number {
  return (a, b) => nodeViewers(p, a) - nodeViewers(p, b) || members[a].bytesOutPerSecond - members[b].bytesOutPerSecond || a.localeCompare(b);
}

/** Drops nodes that no viewer of the room reads from any more. */
function releaseIdle(r: RoomPlacement): RoomPlacement {
  const nodes = r.nodes.filter((n) => roomViewersOn(r, n) > 0);
  return nodes.length === r.nodes.length ? r : { ...r, nodes };
}

const sameFile = (a: PlacedFile | null, b: PlacedFile | null) => a?.id === b?.id;

/**
 * The watch actor's viewer list (version `version`): newer than what we have replaces it. Viewers
 * that are gone are released, nodes left with no viewer are released, and an empty list (or no
 * file) clears the room.
 */
export function syncViewers(p: Placements, e: { room: string; version: number; file: PlacedFile | null; viewers: string[] }): Placements {
  const r = p[e.room];
  if (r && e.version <= r.v) return p;
  if (!e.file || e.viewers.length === 0) {
    if (!r) return p;
    const { [e.room]: _gone, ...rest } = p;
    return rest;
  }
  const keep = r && sameFile(r.file, e.file) ? r : undefined;
  const viewers: Record<string, string | null> = {};
  for (const v of e.viewers) viewers[v] = keep?.viewers[v] ?? null;
  return { ...p, [e.room]: releaseIdle({ v: e.version, file: e.file, viewers, nodes: keep?.nodes ?? [] }) };
}

export type PlaceResult = { placements: Placements; node: string } | { refused: 'gone' | 'none' };

/**
 * Where `viewer` of `room` reads the file from. `version` is the watch actor's viewer-list version
 * the caller saw the viewer in: a list at least that new without the viewer means it left (gone);
 * an older one means its list is still on the way, and the viewer is placed provisionally until it
 * arrives. `avoid`: the node that just failed this viewer.
 */
export function place(p: Placements, members: Members, e: { room: string; viewer: string; version: number; file: PlacedFile; avoid?: string }, cap: Capacity): PlaceResult {
  let r = p[e.room];
  if (r && r.v >= e.version && !(e.viewer in r.viewers)) return { refused: 'gone' };
  if (r && !sameFile(r.file, e.file)) {
    // the viewer asks about another movie: an older one is stale, a newer one resets the room
    if (r.v >= e.version) return { refused: 'gone' };
    r = { v: r.v, file: e.file, viewers: Object.fromEntries(Object.keys(r.viewers).map((v) => [v, null])), nodes: [] };
  }
  r ??= { v: -1, file: e.file, viewers: {}, nodes: [] };
  const usable = (n: string) => n !== e.avoid && canServe(members, n, e.file);
  const current = r.viewers[e.viewer] ?? null;
  if (current !== null && usable(current)) return { placements: { ...p, [e.room]: r }, node: current };

  // off its old node (if any), then: a node of the room with room to spare; else another holder
  // with room, added to the room; else the least loaded holder (overloaded beats no movie)
  r = releaseIdle({ ...r, viewers: { ...r.viewers, [e.viewer]: null } });
  const without = { ...p, [e.room]: r };
  const holders = Object.keys(members).filter(usable).sort(byLoad(members, without));
  const node = r.nodes.find((n) => usable(n) && !isFull(members, without, n, cap))
    ?? holders.find((n) => !r.nodes.includes(n) && !isFull(members, without, n, cap))
    ?? holders[0]
    // the failed node is the only active holder: it may have been a blip, try it again
    ?? (e.avoid !== undefined && canServe(members, e.avoid, e.file) ? e.avoid : undefined);
  if (node === undefined) return { refused: 'none' };
  const placed: RoomPlacement = { ...r, viewers: { ...r.viewers, [e.viewer]: node }, nodes: r.nodes.includes(node) ? r.nodes : [...r.nodes, node] };
  return { placements: { ...p, [e.room]: placed }, node };
}

/** A node went offline or was forgotten: its viewers are unplaced (they ask again when reads fail). */
export function dropNode(p: Placements, node: string): Placements {
  let changed = false;
  const next: Placements = {};
  for (const [room, r] of Object.entries(p)) {
    if (!r.nodes.includes(node) && !Object.values(r.viewers).includes(node)) {
      next[room] = r;
      continue;
    }
    changed = true;
    next[room] = { ...r, nodes: r.nodes.filter((n) => n !== node), viewers: Object.fromEntries(Object.entries(r.viewers).map(([v, n]) => [v, n === node ? null : n])) };
  }
  return changed ? next : p;
}

/** The rooms with their nodes and viewer counts (troupe watch rooms). */
export function roomsView(p: Placements): RoomView[] {
  return Object.keys(p).sort().map((room) => {
    const r = p[room];
    return { room, file: r.file?.id ?? null, viewers: Object.keys(r.viewers).length, nodes: r.nodes.map((node) => ({ node, viewers: roomViewersOn(r, node) })) };
  });
}
