// The web client's state logic: pure functions and a statechart, no DOM and no network, so unit
// tests run them in Node.
export * from './types.ts';
export * from './format.ts';
export * from './links.ts';
export * from './timeline.ts';
export * from './conversations.ts';
export * from './people.ts';
export * from './outbox.ts';
export * from './connection.ts';
export * from './player.ts';
