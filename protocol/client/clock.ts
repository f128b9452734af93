// Server time on the client, NTP-style over the gateway connection: `ping` answers with the
// server's clock; a sample's offset is `server − (sent + received) / 2`, good to ±rtt/2. Samples
// with the lowest round trip are the least disturbed by queueing, so the estimate is the median
// offset of the best few among the recent ones. Pure: the caller supplies every time (ClockSync
// in watch.ts does the pinging). No Node imports: the browser build uses it as is.

export interface ClockSample {
  /** server − local, ms */
  offset: number;
  /** round trip, ms */
  rtt: number;
  /** local time the answer arrived */
  at: number;
}

export interface ClockEstimatorOptions {
  /** Recent samples kept (older ones age out: clocks drift). Default 16. */
  keep?: number;
  /** How many of the lowest-RTT samples the estimate uses. Default 4. */
  best?: number;
}

export class ClockEstimator {
  private samples: ClockSample[] = [];
  private readonly keep: number;
  private readonly best: number;

  constructor(opts: ClockEstimatorOptions = {}) {
    this.keep = Math.max(1, opts.keep ?? 16);
    this.best = Math.max(1, opts.best ?? 4);
  }

  /** A ping sent at local `sent`, answered with server time `server`, received at local `received`. */
  add(sent: number, server: number, received: number): ClockSample | null {
    const rtt = received - sent;
    if (!(rtt >= 0) || !Number.isFinite(server)) return null;
    const sample = { offset: server - (sent + received) / 2, rtt, at: received };
    this.samples.push(sample);
    if (this.samples.length > this.keep) this.samples.splice(0, this.samples.length - this.keep);
    return sample;
  }

  get count(): number {
    return this.samples.length;
  }

  /** The samples the estimate rests on: the lowest round trips, best first. */
  chosen(): ClockSample[] {
    return [...this.samples].sort((a, b) => a.rtt - b.rtt || b.at - a.at).slice(0, this.best);
  }

  /** server − local in ms (null before the first sample). */
  get offset(): number | null {
    const c = this.chosen();
    if (!c.length) return null;
    const o = c.map((s) => s.offset).sort((a, b) => a - b);
    const mid = o.length >> 1;
    return o.length % 2 ? o[mid] : (o[mid - 1] + o[mid]) / 2;
  }

  /** The lowest round trip seen recently (ms), null before the first sample. */
  get rtt(): number | null {
    const c = this.chosen();
    return c.length ? c[0].rtt : null;
  }

  /** How far off the estimate may be: half the worst round trip it rests on. */
  get uncertainty(): number | null {
    const c = this.chosen();
    return c.length ? Math.max(...c.map((s) => s.rtt)) / 2 : null;
  }

  /** Server time at local time `local` (the local time itself before any sample). */
  serverTime(local: number): number {
    return local + (this.offset ?? 0);
  }
}
