// The gateway's Prometheus metrics.
import { counter, gauge, histogram } from '../lib/mod.ts';

export const gatewayMetrics = {
  connections: gauge('troupe_gateway_connections', 'open client connections', ['transport']),
  accepted: counter('troupe_gateway_connections_total', 'client connections accepted', ['transport']),
  framesIn: counter('troupe_gateway_frames_in_total', 'client frames received', ['transport']),
  framesOut: counter('troupe_gateway_frames_out_total', 'frames sent to clients', ['transport']),
  bytesIn: counter('troupe_gateway_bytes_in_total', 'bytes received from clients', ['transport']),
  errors: counter('troupe_gateway_errors_total', 'error frames sent, by code', ['code']),
  requests: histogram('troupe_gateway_request_duration_seconds', 'client request latency at the gateway, by op', ['op']),
  pushes: counter('troupe_gateway_pushes_total', 'pushes delivered to client connections', ['op']),
  refusedOrigins: counter('troupe_gateway_ws_refused_origins_total', 'WebSocket upgrades refused for their Origin'),
};
