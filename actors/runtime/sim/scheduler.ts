// Virtual time for simulation: a seeded random source and an event queue. Everything the runtime
// awaits in simulation resolves from here, so one seed always replays the same history.
import type { Clock, Timer } from '../ports.ts';

/** mulberry32: small, fast, good enough to drive fault injection. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Event {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Binary min-heap on (at, seq). */
class Queue {
  private heap: Event[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): Event | undefined {
    return this.heap[0];
  }

  push(e: Event): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (less(h[parent], h[i])) break;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  pop(): Event | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l], h[m])) m = l;
        if (r < h.length && less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
}

function less(a: Event, b: Event): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

const flushMicrotasks = () => new Promise<void>((r) => setImmediate(r));

export class SimScheduler {
  now = 1_700_000_000_000;
  readonly rng: () => number;
  private seq = 0;
  private readonly queue = new Queue();
  events = 0;

  constructor(readonly seed: number) {
    this.rng = seededRandom(seed);
  }

  /** A random whole number in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rng() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.rng() < p;
  }

  schedule(delayMs: number, fn: () => void): Timer {
    const e: Event = { at: this.now + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.queue.push(e);
    return { cancel: () => { e.cancelled = true; } };
  }

  /** A clock whose callbacks pass through `gate` (so a paused or dead host sees nothing happen). */
  clock(gate?: (fn: () => void) => void): Clock {
    const run = gate ?? ((fn: () => void) => fn());
    return {
      now: () => this.now,
      setTimer: (ms, fn) => this.schedule(ms, () => run(fn)),
      sleep: (ms) => new Promise<void>((r) => this.schedule(ms, () => run(r))),
    };
  }

  /** Runs events until `until` (virtual ms) or until `done()` holds between events. */
  async run(until: number, done: () => boolean = () => false, maxEvents = 5_000_000): Promise<void> {
    await flushMicrotasks();
    while (this.queue.size && !done()) {
      const next = this.queue.peek()!;
      if (next.at > until) break;
      this.queue.pop();
      if (next.cancelled) continue;
      this.now = next.at;
      next.fn();
      this.events++;
      await flushMicrotasks();
      if (this.events > maxEvents) throw new Error(`simulation exceeded ${maxEvents} events`);
    }
    if (!done() && (!this.queue.size || this.queue.peek()!.at > until)) this.now = Math.max(this.now, until);
  }
}
