// Where the session token is kept: sessionStorage.
//
// - It survives a reload (the session resumes), and ends with the tab: a shared computer does not
//   keep a month-long bearer token on disk after the browser closes, as localStorage would.
// - It is per tab. A gateway keeps one login per device type, so two tabs sharing one token would
//   only take the session from each other; a new tab signs in (and the older tab says it was
//   signed in elsewhere).
// - Not a cookie: the token travels inside the WebSocket protocol (auth.resume), so no request
//   carries it on its own and there is nothing for another site to ride on.
// Script on the page could read it from either storage; the CSP (no inline or foreign script) and
// rendering every message as text are what keep script off the page.
const KEY = 'troupe.session';

export interface StoredSession {
  token: string;
  user: { id: number; name: string };
}

export function loadSession(): StoredSession | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as StoredSession;
    return typeof s.token === 'string' && typeof s.user?.id === 'number' ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(s: StoredSession): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // storage disabled: the session just does not survive a reload
  }
}

export function clearSession(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing kept
  }
}
