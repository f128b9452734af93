// A node's membership in its storage group: it joins the group actor (act.group.<p>.<group>)
// when it starts, beats to it every heartbeat with its state, load, free disk and applied binlog
// seq, and leaves when it stops. Every join and beat is an ask whose reply is the group actor's
// view of the members, so the node always knows its peers as the group actor judges them: this
// is the GroupView replication fetches from (offline members are never asked).
import type { ActorClient } from '../actors/runtime/mod.ts';
import { logger, type Logger } from '../lib/mod.ts';
import type { GroupView as GroupActorView, NodeReport } from '../protocol/mod.ts';
import type { GroupPeer, GroupView } from './replication.ts';

export interface MembershipOptions {
  client: ActorClient;
  group: string;
  nodeId: string;
  beatMs: number;
  /** The node's report of itself, fresh for each beat. */
  report(): Omit<NodeReport, 'node' | 'beatMs' | 'startedAt'>;
  /** Whether the NATS connection is gone for good (the process is stopping): joining ends. */
  closed(): boolean;
}

export class GroupMembership implements GroupView {
  private members: GroupPeer[] = [];
  private readonly startedAt = Date.now();
  private sent = 0;
  private applied = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private failing = false;
  private readonly log: Logger;
  private readonly askTimeoutMs: number;

  constructor(private readonly o: MembershipOptions) {
    this.log = logger('membership', { group: o.group, node: o.nodeId });
    // a beat answered later than a few beats is of no use; the next one carries newer news
    this.askTimeoutMs = Math.max(2000, 3 * o.beatMs);
  }

  peers(): GroupPeer[] {
    return this.members.filter((m) => m.state !== 'offline');
  }

  /** Every member the group actor knows, offline ones included. */
  view(): GroupPeer[] {
    return [...this.members];
  }

  /**
   * Joins the group actor, retrying until it answers (it runs on a host: none may be up yet), then
   * beats every `beatMs`.
   */
  async join(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.exchange('join');
        this.log.debug({ members: this.members.length }, 'joined the storage group');
        break;
      } catch (e) {
        if (this.o.closed()) throw new Error(`the NATS connection closed before the group actor of ${this.o.group} answered`);
        if (attempt === 0) this.log.warn({ err: (e as Error).message }, 'the group actor did not answer the join; retrying (is a host running?)');
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** Math.min(attempt, 4))));
      }
    }
    if (this.stopped) return;
    this.timer = setInterval(() => void this.beat(), this.o.beatMs);
    this.timer.unref();
  }

  /** One beat now (also called when the node's state changes, so the group hears it at once). */
  async beat(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.exchange('beat');
      if (this.failing) this.log.info({}, 'the group actor answers again');
      this.failing = false;
    } catch (e) {
      if (!this.failing && !this.stopped) this.log.warn({ err: (e as Error).message }, 'a heartbeat to the group actor failed; the peers known so far stay in use');
      this.failing = true;
    }
  }

  private async exchange(type: 'join' | 'beat'): Promise<void> {
    const n = ++this.sent;
    const body = { type, node: this.o.nodeId, beatMs: this.o.beatMs, startedAt: this.startedAt, ...this.o.report() };
    const reply = await this.o.client.ask<GroupActorView>('group', this.o.group, body, { timeoutMs: this.askTimeoutMs });
    // beats overlap when the actor is slow: only a newer answer replaces the view
    if (n <= this.applied) return;
    this.applied = n;
    this.members = reply.members.map((m) => ({ nodeId: m.node, url: m.url, appliedSeq: m.appliedSeq, state: m.state, load: m.activeTransfers + m.assigned }));
  }

  /** Stops beating and tells the group actor the node is gone (offline at once, not after missed beats). */
  async leave(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.applied === 0) return;
    try {
      await this.o.client.send('group', this.o.group, { type: 'leave', node: this.o.nodeId });
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'could not tell the group actor this node leaves; it will notice the missed beats');
    }
  }
}
