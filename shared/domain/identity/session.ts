import { createHash, randomBytes } from 'node:crypto';

/** What a valid session token resolves to. The WeChat session_key stays in the session table and is never returned. */
export type Session = { userId: string; openid: string; expiresAt: string };

/** A new opaque session token: 256 random bits, URL-safe. Only its hash is stored. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The stored form of a token. A plain SHA-256 is enough: the token is 256 random bits, so a leaked table cannot be
 * turned back into tokens, and the lookup by hash needs no per-row salt.
 */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Tokens we issue: 43 base64url characters. Anything else is refused before any lookup. */
export function looksLikeSessionToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
