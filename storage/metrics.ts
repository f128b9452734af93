// Prometheus metrics of storage nodes, labelled by node (several nodes can share a process).
import { counter, gauge, histogram } from '../lib/mod.ts';

export const storageMetrics = {
  bytesIn: counter('troupe_storage_bytes_in_total', 'bytes received: uploads and replication fetches', ['node', 'kind']),
  bytesOut: counter('troupe_storage_bytes_out_total', 'bytes sent: downloads and replication serving', ['node', 'kind']),
  transfers: counter('troupe_storage_transfers_total', 'finished transfers by kind (upload, download, delete, replication, serve_peer) and outcome', ['node', 'kind', 'outcome']),
  active: gauge('troupe_storage_active_transfers', 'transfers in progress', ['node']),
  appliedSeq: gauge('troupe_storage_applied_seq', 'last binlog record applied (STORAGE stream sequence)', ['node']),
  lagRecords: gauge('troupe_storage_replication_lag_records', 'binlog records of the group not yet applied', ['node']),
  uploadGroup: histogram('troupe_storage_upload_group_files', 'uploads made durable together (one group commit)', [], [1, 2, 4, 8, 16, 32, 64, 128, 256]),
  uploadPhase: histogram('troupe_storage_upload_phase_seconds', 'time of an upload\'s phases: per upload receive (all of: id, body (start to last byte: network, sha-256, writes on the way), write (the last write to durable, close)) and commit (from received to durable: waiting for the group in flight, then its own); per group: files (renames and directory fsyncs, or a synchronous trunk append), binlog, rows, durable (all of the group)', ['phase']),
  trunkFiles: gauge('troupe_storage_trunk_files', 'small files held in trunk files', ['node']),
  trunkBytes: gauge('troupe_storage_trunk_bytes', 'bytes of the trunk files: all, and live (what a compaction keeps)', ['node', 'kind']),
  lagSeconds: gauge('troupe_storage_replication_lag_seconds', 'age of the last applied binlog record when it was applied', ['node']),
};
