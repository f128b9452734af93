// Stateless services on svc.<service>.<op>: core request/reply in a queue group named after the
// service, JSON bodies validated against protocol/ schemas, replies `{ ok, ...}` / `{ ok: false, error }`.
import { TimeoutError, type NatsConnection, type Msg } from '@nats-io/transport-node';
import { messages, type MessageName, type BodyOf, type ReplyOf, subjects, validate, TroupeError, toWireError, fromWireError } from '../protocol/mod.ts';
import { logger } from './log.ts';
import { counter, histogram } from './metrics.ts';

const served = histogram('troupe_service_request_duration_seconds', 'service request handling time', ['subject', 'outcome']);
const enc = new TextEncoder();
const dec = new TextDecoder();

type ServiceMessage<S extends string> = Extract<MessageName, `svc.${S}.${string}`>;
type OpOf<S extends string, M> = M extends `svc.${S}.${infer O}` ? O : never;

export type Handlers<S extends string> = {
  [M in ServiceMessage<S> as OpOf<S, M>]: (body: BodyOf<M>) => Promise<ReplyOf<M>>;
};

export interface ServiceHandle {
  stop(): Promise<void>;
}

/** Serves every op of one service in its queue group. */
export function serve<S extends string>(nc: NatsConnection, service: S, handlers: NoInfer<Handlers<S>>): ServiceHandle {
  const log = logger('service', { service });
  const sub = nc.subscribe(subjects.serviceAll(service), { queue: service });
  const inflight = new Set<Promise<void>>();
  (async () => {
    for await (const m of sub) {
      const p = handle(m).finally(() => inflight.delete(p));
      inflight.add(p);
    }
  })().catch((e) => log.error({ err: e }, 'service loop ended'));

  async function handle(m: Msg): Promise<void> {
    const started = performance.now();
    const name = m.subject as MessageName;
    const op = m.subject.slice(`svc.${service}.`.length);
    let outcome = 'ok';
    let reply: object;
    try {
      const spec = messages[name];
      const handler = (handlers as Record<string, (b: unknown) => Promise<object>>)[op];
      if (!spec || !handler) throw new TroupeError('unknown_op', `no service op ${m.subject}`);
      const body = validate(spec.body, JSON.parse(dec.decode(m.data)), 'bad_request', m.subject);
      reply = { ok: true, ...(await handler(body)) };
    } catch (e) {
      const err = toWireError(e);
      outcome = err.code;
      if (err.code === 'internal') log.error({ err: e, subject: m.subject }, 'service handler failed');
      reply = { ok: false, error: err };
    }
    served.labels(m.subject, outcome).observe((performance.now() - started) / 1000);
    if (m.reply) m.respond(enc.encode(JSON.stringify(reply)));
  }

  return {
    async stop() {
      await sub.drain();
      await Promise.allSettled([...inflight]);
    },
  };
}

const calls = counter('troupe_service_calls_total', 'service calls made, by subject and outcome', ['subject', 'outcome']);

/** Calls a service op; the reply is validated loosely (it came from our own code) and errors rethrown. */
export async function callService<M extends MessageName>(nc: NatsConnection, name: M, body: BodyOf<M>, timeoutMs = 10_000): Promise<ReplyOf<M>> {
  const subject = messages[name].subject;
  let msg: Msg;
  try {
    msg = await nc.request(subject, enc.encode(JSON.stringify(body)), { timeout: timeoutMs });
  } catch (e) {
    // a timeout is nats.js's TimeoutError; everything else (no responders, a closed connection)
    // comes wrapped in a RequestError
    const code = e instanceof TimeoutError ? 'timeout' : 'unavailable';
    calls.labels(subject, code).inc();
    throw new TroupeError(code, code === 'unavailable' ? `no ${subject} service is running` : `${subject} did not answer in ${timeoutMs} ms`);
  }
  const reply = JSON.parse(dec.decode(msg.data)) as { ok: boolean; error?: unknown } & Record<string, unknown>;
  if (!reply.ok) {
    const err = fromWireError(reply.error, `${subject} failed`);
    calls.labels(subject, err.code).inc();
    throw err;
  }
  calls.labels(subject, 'ok').inc();
  const { ok: _ok, ...rest } = reply;
  return rest as ReplyOf<M>;
}
