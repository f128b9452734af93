// The web client's state as signals, and the actions that change it: the glue between the
// protocol client (I/O) and the pure state functions. Components read signals and call actions.
export * from './session.ts';
export * from './notices.ts';
export * from './people.ts';
export * from './chat.ts';
export * from './rooms.ts';
export * from './files.ts';
export * from './watch.ts';
