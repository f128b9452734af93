// Types of lockfile.mjs (plain JavaScript so that ops/bootstrap.mjs can use it before packages exist).
export interface LockOwner {
  pid: number;
  host: string;
  token: string;
  text: string;
  mtimeMs: number;
  partial: boolean;
}

export interface LockOptions {
  onWait?(owner: LockOwner): void;
  onStale?(reason: string): void;
  pollMs?: number;
  staleMs?: number;
  heartbeatMs?: number;
}

export function readLockOwner(lockPath: string): LockOwner | null;
export function staleReason(owner: LockOwner, staleMs: number, now?: number): string | null;
export function withLock<T>(lockPath: string, fn: () => T | Promise<T>, opts?: LockOptions): Promise<T>;
