// ops/client: the terminal client behind `troupe client`: scripted one-shot commands with plain
// line output, and the interactive mode (chat). ops/commands/client.ts only declares the command.
export { runClient, clientCommands, usage } from './run.ts';
export { clientDescription } from './help.ts';
export { clientFlags, urlFor, givenUrl, connectClient, type ClientCommand, type ClientContext, type ClientEnv, type Flags } from './context.ts';
export { processIo, memoryIo, type ClientIo } from './io.ts';
export { Profile } from './profile.ts';
export { ChatUi } from './chat.ts';
export { entryRow, entryLine, describeSystem, esc, row, clockText, parseClock } from './format.ts';
export { withRetry, newClientMsgId } from './messages.ts';
export { directRoomId, isRoomId } from './names.ts';
export { splitWords } from './words.ts';
