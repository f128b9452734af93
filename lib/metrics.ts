// Prometheus metrics. One registry per process: gateway and host roles running in one process
// share it, and /metrics exports it in the text exposition format.
import client from 'prom-client';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'troupe_process_' });

const made = new Map<string, unknown>();

function once<T>(name: string, make: () => T): T {
  if (!made.has(name)) made.set(name, make());
  return made.get(name) as T;
}

export function counter(name: string, help: string, labelNames: string[] = []): client.Counter<string> {
  return once(name, () => new client.Counter({ name, help, labelNames, registers: [registry] }));
}

export function gauge(name: string, help: string, labelNames: string[] = []): client.Gauge<string> {
  return once(name, () => new client.Gauge({ name, help, labelNames, registers: [registry] }));
}

/** Latency histogram in seconds, buckets from 0.5 ms to 10 s. */
export function histogram(name: string, help: string, labelNames: string[] = [], buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]): client.Histogram<string> {
  return once(name, () => new client.Histogram({ name, help, labelNames, buckets, registers: [registry] }));
}

export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
