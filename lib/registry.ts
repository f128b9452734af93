// The KV `nodes` registry: every live gateway, host and storage node keeps an entry
// `<role>.<id>` fresh; the bucket's max age removes the entries of processes that died.
import type { KV } from '@nats-io/kv';
import { logger, RepeatGate } from './log.ts';

/** What a node says about itself. */
export interface NodeInfo {
  /** Lower is less loaded (a gateway: its connection count). */
  load: number;
  [k: string]: unknown;
}

/** An entry not refreshed for this long is a dead process (entries are refreshed every 2 s). */
export const NODE_LIVE_MS = 8000;

export interface NodeEntry extends NodeInfo {
  id: string;
  role: string;
  startedAt: number;
  updatedAt: number;
}

export class NodeRegistration {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly key: string;
  private readonly startedAt = Date.now();
  private readonly log = logger('registry');
  private readonly quiet = new RepeatGate();

  constructor(
    private readonly kv: KV,
    private readonly role: string,
    private readonly id: string,
    private readonly describe: () => NodeInfo,
    private readonly intervalMs = 2000,
  ) {
    this.key = `${role}.${id}`;
  }

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  async beat(): Promise<void> {
    if (this.stopped) return;
    const entry: NodeEntry = { ...this.describe(), id: this.id, role: this.role, startedAt: this.startedAt, updatedAt: Date.now() };
    try {
      await this.kv.put(this.key, JSON.stringify(entry));
      this.quiet.ok('beat');
    } catch (e) {
      this.quiet.fail('beat', (heldBack) => this.log.warn({ err: (e as Error).message, key: this.key, heldBack }, 'registry heartbeat failed'));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    try {
      await this.kv.delete(this.key);
    } catch {
      // the entry expires on its own
    }
  }
}

/** Live entries of one role (entries older than `maxAgeMs` are ignored even if not yet expired). */
export async function listNodes(kv: KV, role: string, maxAgeMs = NODE_LIVE_MS): Promise<NodeEntry[]> {
  const out: NodeEntry[] = [];
  const keys: string[] = [];
  for await (const k of await kv.keys(`${role}.>`)) keys.push(k);
  const now = Date.now();
  await Promise.all(keys.map(async (k) => {
    const e = await kv.get(k);
    if (!e || e.operation !== 'PUT' || e.length === 0) return;
    try {
      const entry = e.json<NodeEntry>();
      if (now - entry.updatedAt <= maxAgeMs) out.push(entry);
    } catch {
      // a malformed entry is skipped
    }
  }));
  return out.sort((a, b) => a.load - b.load || a.id.localeCompare(b.id));
}

/** A live view of the registry, kept current by a KV watch (for frequent lookups). */
export class NodeDirectory {
  private readonly entries = new Map<string, NodeEntry>();
  private readonly listeners = new Set<() => void>();
  private stopWatch?: () => void;

  private constructor(private readonly maxAgeMs: number) {}

  static async open(kv: KV, maxAgeMs = NODE_LIVE_MS): Promise<NodeDirectory> {
    const dir = new NodeDirectory(maxAgeMs);
    const watch = await kv.watch({ key: '>' });
    dir.stopWatch = () => watch.stop();
    let ready!: () => void;
    const initial = new Promise<void>((r) => (ready = r));
    (async () => {
      for await (const e of watch) {
        if (e.operation === 'PUT' && e.length > 0) {
          try {
            dir.entries.set(e.key, e.json<NodeEntry>());
          } catch {
            dir.entries.delete(e.key);
          }
        } else dir.entries.delete(e.key);
        if (e.delta === 0) ready();
        for (const l of dir.listeners) l();
      }
    })().catch(() => {});
    // an empty bucket sends no initial values: don't wait for them
    await Promise.race([initial, new Promise((r) => setTimeout(r, 300))]);
    return dir;
  }

  /** Live entries of a role, least-loaded first. */
  list(role: string): NodeEntry[] {
    const now = Date.now();
    return [...this.entries.values()]
      .filter((e) => e.role === role && now - e.updatedAt <= this.maxAgeMs)
      .sort((a, b) => a.load - b.load || a.id.localeCompare(b.id));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.stopWatch?.();
  }
}
