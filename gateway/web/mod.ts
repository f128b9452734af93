// gateway/web: the browser client. app/ holds its sources (entry app/main.tsx, bundled for the
// browser); this module is the Node side: building the bundle and serving it from the gateway.
export { buildWebBundle, ensureWebBundle, staleReason, readManifest, bundleSizes, defaultDistDir, type WebManifest, type AssetInfo } from './build.ts';
export { webClientRoutes, negotiateEncoding, type WebClientOptions } from './serve.ts';
export { contentSecurityPolicy, originOf, wsOriginOf } from './csp.ts';
