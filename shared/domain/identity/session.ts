/** What a valid session token resolves to. The WeChat session_key stays in the session table and is never returned. */
export type Session = { userId: string; openid: string; expiresAt: string };

/**
 * Tokens we issue: 256 random bits as 43 base64url characters. Anything else is refused before any lookup. Only the
 * token's SHA-256 is stored: the token is random enough that a plain hash cannot be turned back, and the lookup by
 * hash needs no per-row salt.
 */
export function looksLikeSessionToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** Our user id for a new WeChat user. */
export function newUserId(randomId: string): string {
  return `u_${randomId}`;
}
