// The web client's browser edges besides the protocol client: where the session token is kept
// and uploads to storage nodes.
export { loadSession, saveSession, clearSession, type StoredSession } from './token.ts';
export { putFile, UploadError, type UploadProgress, type RunningUpload } from './upload.ts';
export { VideoFollower, type FollowerStatus } from './video-follower.ts';
