// lib: plumbing every role shares: configuration, logs, metrics, NATS connections, the node registry.
export * from './config.ts';
export * from './log.ts';
export * from './metrics.ts';
export * from './nats.ts';
export * from './registry.ts';
export * from './service.ts';
export * from './net.ts';
export * from './secrets.ts';
export * from './exposure.ts';
