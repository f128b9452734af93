// storage: the storage-node role of seed 003. Leaf-style ids, the file layout, the file store,
// metadata tables, tickets, binlog replication and the HTTP API of one node of one group.
// The group actor (actors/group) uses the holder rule to route reads; the files service
// (services/files) uses tickets, FileIndex (routes, listings) and the binlog for deletes.
export { IdAllocator, type IdAllocatorOptions, type IdAllocatorStats } from './ids.ts';
export { formatFileId, parseFileId, isGroupName, filePath, relativeFilePath, randomPart, type ParsedFileId } from './layout.ts';
export { FileStore, SMALL_MAX, type FileMeta, type Received, type ReceiveOptions, type OpenFile } from './files.ts';
export { Trunks, readRecords as readTrunkRecords, type TrunkLocation, type TrunkOptions } from './trunks.ts';
export { FileIndex, type FileRow } from './metadata.ts';
export { Tickets, PeerAuth, PEER_SIGNATURE_MAX_AGE_MS, type TicketExpectation } from './tickets.ts';
export {
  holdsFile, holders, Binlog, Replicator, AppliedState, ensureStorageStream, deleteFile,
  type FileLocation, type NodeProgress, type GroupPeer, type GroupView, type ReplicatorOptions,
} from './replication.ts';
export { corsHeaders, preflight, parseCorsOrigins, CORS_METHODS, CORS_REQUEST_HEADERS, type Preflight } from './cors.ts';
export { parseRange, noneMatch, ifRangeHolds, createStorageServer, storageHandler, type RangeResult, type StorageBackend, type UploadInput } from './http.ts';
export { GroupMembership, type MembershipOptions } from './membership.ts';
export { StorageNode, startStorageNode, type StorageNodeOptions } from './node.ts';
export { UploadCommitter, OwnRows, type UploadCommitDeps, type Committed } from './upload-commits.ts';
export { storageMetrics } from './metrics.ts';
