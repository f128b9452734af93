// An exclusive lock between processes on one machine: a lock file created with O_EXCL that names
// its owner (pid, host, start). Waiters poll; a lock whose owner is gone is taken over: its pid is
// dead, or it has not been refreshed for `staleMs` (the owner touches it every `heartbeatMs`, so
// a reused pid or an owner on another host that died is noticed too).
// Plain JavaScript on purpose: ops/bootstrap.mjs uses it before any package is installed.
// Not a library: proper-lockfile and friends would have to be installed first, which is what
// this lock guards.
import fs from 'node:fs';
import os from 'node:os';
import { randomBytes } from 'node:crypto';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The owner a lock file names, or null when it vanished (or is being written). */
export function readLockOwner(lockPath) {
  let text;
  let stat;
  try {
    stat = fs.statSync(lockPath);
    text = fs.readFileSync(lockPath, 'utf8');
  } catch (e) {
    if (e.code === 'ENOENT') return null;
    throw e;
  }
  const [pid, host, token] = text.split('\n');
  if (!token) return { pid: 0, host: '', token: '', text, mtimeMs: stat.mtimeMs, partial: true };
  return { pid: Number(pid), host, token, text, mtimeMs: stat.mtimeMs, partial: false };
}

function pidAlive(pid) {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Why the owner counts as gone, or null while it holds the lock. */
export function staleReason(owner, staleMs, now = Date.now()) {
  if (owner.partial) return now - owner.mtimeMs > staleMs ? 'its owner never finished writing it' : null;
  if (owner.host === os.hostname() && !pidAlive(owner.pid)) return `its owner (pid ${owner.pid}) is gone`;
  if (now - owner.mtimeMs > staleMs) return `its owner (pid ${owner.pid} on ${owner.host}) has not refreshed it for ${Math.round((now - owner.mtimeMs) / 1000)} s`;
  return null;
}

/**
 * Removes a stale lock. It is renamed aside first and checked: when another waiter replaced the
 * stale lock with its own in between, that one is put back.
 */
function breakStale(lockPath, owner) {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch (e) {
    if (e.code === 'ENOENT') return;
    throw e;
  }
  try {
    if (fs.readFileSync(aside, 'utf8') !== owner.text) {
      try {
        fs.linkSync(aside, lockPath);
      } catch {
        // someone holds a newer lock already; theirs stands
      }
    }
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

/**
 * Runs `fn` while holding the lock at `lockPath`. `onWait(owner)` is called once when another
 * process holds it; `onStale(reason)` when a dead owner's lock is taken over.
 */
export async function withLock(lockPath, fn, opts = {}) {
  const { onWait, onStale, pollMs = 200, staleMs = 60_000, heartbeatMs = 5_000 } = opts;
  const text = `${process.pid}\n${os.hostname()}\n${Date.now()}-${randomBytes(6).toString('hex')}\n`;
  let announced = false;
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o644);
      try {
        fs.writeSync(fd, text);
      } finally {
        fs.closeSync(fd);
      }
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    const owner = readLockOwner(lockPath);
    if (!owner) continue;
    const stale = staleReason(owner, staleMs);
    if (stale) {
      onStale?.(stale);
      breakStale(lockPath, owner);
      continue;
    }
    if (!announced && !owner.partial) {
      onWait?.(owner);
      announced = true;
    }
    await sleep(pollMs);
  }
  const heartbeat = setInterval(() => {
    const t = new Date();
    try {
      fs.utimesSync(lockPath, t, t);
    } catch {
      // taken over as stale (we were frozen for a long time); nothing to refresh
    }
  }, heartbeatMs);
  heartbeat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(heartbeat);
    try {
      if (fs.readFileSync(lockPath, 'utf8') === text) fs.rmSync(lockPath, { force: true });
    } catch {
      // already gone
    }
  }
}
