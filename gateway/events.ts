// Subscribing to an event subject whose messages are JSON: malformed ones are logged and dropped.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from '../lib/mod.ts';

const dec = new TextDecoder();

export function subscribeJson<T>(nc: NatsConnection, subject: string, log: Logger, deliver: (event: T) => void): Subscription {
  return nc.subscribe(subject, {
    callback: (err, msg) => {
      if (err) return;
      let event: T;
      try {
        event = JSON.parse(dec.decode(msg.data)) as T;
      } catch {
        log.warn({ subject }, 'malformed event dropped');
        return;
      }
      deliver(event);
    },
  });
}
