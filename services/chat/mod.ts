// services/chat: history, offline sync, conversations, members, cursors, typing; users and friends lookups.
export { startChatService, toEntry, type ChatServiceOptions } from './service.ts';
