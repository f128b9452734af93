// The actor runtime's Prometheus metrics.
import { counter, gauge, histogram } from '../../lib/mod.ts';

export const runtimeMetrics = {
  messages: counter('troupe_actor_messages_total', 'mailbox messages handled, by kind and outcome', ['kind', 'outcome']),
  batchSize: histogram('troupe_actor_batch_messages', 'messages per partition transaction', [], [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]),
  commitMessages: histogram('troupe_actor_commit_messages', 'mailbox messages per commit transaction (all partitions in it)', [], [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]),
  queries: counter('troupe_actor_queries_total', 'queries answered from a lease holder\'s memory, by kind and outcome', ['kind', 'outcome']),
  commitParts: histogram('troupe_actor_commit_partitions', 'partitions whose batches share one commit transaction', [], [1, 2, 4, 8, 16, 32, 64, 128, 256]),
  commitSeconds: histogram('troupe_actor_commit_duration_seconds', 'time of one commit transaction of the host committer'),
  commitSplits: counter('troupe_actor_commit_splits_total', 'commits of several partitions that failed and were committed part by part'),
  batchSeconds: histogram('troupe_actor_batch_duration_seconds', 'time to process one partition batch (transaction included)'),
  partitions: gauge('troupe_actor_partitions_held', 'partitions this host holds'),
  activeActors: gauge('troupe_actor_active', 'actors active in memory on this host'),
  fenced: counter('troupe_actor_fenced_total', 'partition transactions refused by the fence (lost leases)'),
  retries: counter('troupe_actor_batch_retries_total', 'partition batches retried after an error', ['reason']),
};
