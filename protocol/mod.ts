// protocol: wire schemas, subjects, framing and error codes. The client library is protocol/client.
export * from './errors.ts';
export * from './schema.ts';
export * from './envelope.ts';
export * from './frame.ts';
export * from './subjects.ts';
export * from './ops.ts';
export * from './presence.ts';
export * from './storage.ts';
export * from './groups.ts';
export * from './files.ts';
export * from './chat.ts';
export * from './admin.ts';
export * from './gateways.ts';
export * from './watch.ts';
export * from './timeline.ts';
