// Wire types the client state is made of, derived from the protocol's schemas (type-only imports:
// nothing of the schema library reaches the bundle).
import type { ResponseOf, PushOf } from '../../../../protocol/ops.ts';

export type ChatEntry = ResponseOf<'chat.history'>['messages'][number];
export type RoomSummary = ResponseOf<'rooms.create'>['room'];
export type WireConversation = ResponseOf<'rooms.list'>['conversations'][number];
export type Member = ResponseOf<'rooms.members'>['members'][number];
export type Role = Member['role'];
export type FriendEntry = ResponseOf<'friends.list'>['friends'][number];
export type FriendStatus = FriendEntry['status'];
export type UserRef = FriendEntry['user'];
export type FileInfo = ResponseOf<'files.list'>['files'][number];
export type PresencePush = PushOf<'presence'>;
export type FriendsUpdatePush = PushOf<'friends.update'>;
