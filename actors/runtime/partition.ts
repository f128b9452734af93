// Placement of actors on partitions: p = fnv1a32(kind + "." + id) mod P.

/** 32-bit FNV-1a over the UTF-8 bytes of `s`. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  const bytes = new TextEncoder().encode(s);
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function partitionOf(kind: string, id: string, partitions: number): number {
  return fnv1a32(`${kind}.${id}`) % partitions;
}

/** MurmurHash3's finalizer: FNV-1a alone mixes the last bytes of short keys poorly. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Rendezvous (highest random weight) hashing: the live host that owns partition `p`. */
export function ownerOf(p: number, hosts: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const h of hosts) {
    const score = fmix32(fnv1a32(`${h}#${p}`));
    if (score > bestScore || (score === bestScore && best !== undefined && h < best)) {
      best = h;
      bestScore = score;
    }
  }
  return best;
}
