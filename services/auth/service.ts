// svc.auth.*: accounts and sessions. Runs on hosts (the gateway never touches the database).
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { NatsConnection } from '@nats-io/transport-node';
import { serve, type ServiceHandle } from '../../lib/mod.ts';
import { TroupeError } from '../../protocol/mod.ts';
import { tables, type Db } from '../../schema/mod.ts';
import { hashPassword, verifyPassword, decoyHash, newToken, tokenHash } from './passwords.ts';

export interface AuthOptions {
  sessionTtlHours: number;
  scryptCost: number;
}

const { users, sessions } = tables;

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; cause?: { code?: string } };
  return err.code === '23505' || err.cause?.code === '23505';
}

export function startAuthService(nc: NatsConnection, db: Db, opts: AuthOptions): ServiceHandle {
  const ttlMs = opts.sessionTtlHours * 3600_000;

  async function grant(user: { id: number; name: string }, device: { type: 'desktop' | 'mobile' | 'web' | 'cli' | 'bot'; name?: string }) {
    const { token, hash } = newToken();
    const expiresAt = new Date(Date.now() + ttlMs);
    const [row] = await db.insert(sessions).values({ userId: user.id, tokenHash: hash, device, expiresAt }).returning({ id: sessions.id });
    return { token, user: { id: user.id, name: user.name }, expiresAt: expiresAt.toISOString(), sessionId: row.id, device };
  }

  return serve(nc, 'auth', {
    async register({ name, password }) {
      const passwordHash = await hashPassword(password, opts.scryptCost);
      try {
        const [row] = await db.insert(users).values({ name, passwordHash }).returning({ id: users.id, name: users.name });
        return { user: row };
      } catch (e) {
        if (isUniqueViolation(e)) throw new TroupeError('name_taken', `the name "${name}" is already registered`);
        throw e;
      }
    },

    async login({ name, password, device }) {
      const [row] = await db.select().from(users).where(sql`lower(${users.name}) = lower(${name})`).limit(1);
      if (!row) {
        await verifyPassword(password, await decoyHash(opts.scryptCost));
        throw new TroupeError('bad_credentials');
      }
      if (!(await verifyPassword(password, row.passwordHash))) throw new TroupeError('bad_credentials');
      return grant(row, device);
    },

    async resume({ token, device }) {
      const [row] = await db
        .select({ sessionId: sessions.id, device: sessions.device, expiresAt: sessions.expiresAt, id: users.id, name: users.name })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, tokenHash(token)), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date())))
        .limit(1);
      if (!row) throw new TroupeError('session_expired');
      const stored = row.device as { type: 'desktop' | 'mobile' | 'web' | 'cli' | 'bot'; name?: string };
      await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.id, row.sessionId));
      return { token, user: { id: row.id, name: row.name }, expiresAt: row.expiresAt.toISOString(), sessionId: row.sessionId, device: device ?? stored };
    },

    async logout({ sessionId }) {
      await db.update(sessions).set({ revokedAt: new Date() }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
      return {};
    },
  });
}
