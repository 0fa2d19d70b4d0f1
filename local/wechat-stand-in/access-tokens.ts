import { randomBytes } from 'node:crypto';
import { json, jsonBody, type Route, type StandInRequest } from './http';
import type { StandInContext } from './options';
import { chinaTime } from './pay/time';

type IssuedToken = { expiresAtMs: number; revoked: boolean };

/** 0 when the token may call business APIs, else WeChat's errcode for it. */
export type TokenCheck = (token: string | null) => 0 | 41001 | 40001 | 42001;

export type AccessTokens = { routes: Route[]; check: TokenCheck };

const reply = (errcode: number, errmsg: string) => json(200, { errcode, errmsg });

/** getStableAccessToken: force_refresh is limited to 20 calls a day, and within 30 s of the last one it does not refresh. */
const FORCE_REFRESHES_PER_DAY = 20;
const FORCE_REFRESH_SPACING_MS = 30_000;

/**
 * `cgi-bin/token` (each call issues a new token; the previous one keeps working for a grace period) and
 * `cgi-bin/stable_token` (the current token until it nears expiry; `force_refresh` revokes it, within its limits),
 * isolated from each other as on WeChat. Control routes invalidate (40001) or expire (42001) every token.
 */
export function accessTokens(context: StandInContext): AccessTokens {
  const { settings } = context;
  const tokens = new Map<string, IssuedToken>();
  let latestPlain: string | undefined;
  let latestStable: string | undefined;
  const forced = { day: '', calls: 0, lastRefreshMs: -Infinity };

  const nowMs = () => context.now().getTime();
  const lifetimeMs = settings.accessTokenLifetimeSeconds * 1_000;

  function issue(): string {
    const token = randomBytes(96).toString('base64url');
    tokens.set(token, { expiresAtMs: nowMs() + lifetimeMs, revoked: false });
    return token;
  }

  const grant = (token: string) => json(200, { access_token: token, expires_in: Math.floor(((tokens.get(token)?.expiresAtMs ?? 0) - nowMs()) / 1_000) });

  function credentialsError(appid: unknown, secret: unknown, grantType: unknown) {
    if (grantType !== 'client_credential') return reply(40002, 'invalid grant_type');
    if (appid !== settings.appid) return reply(40013, 'invalid appid');
    if (secret !== settings.appSecret) return reply(40125, 'invalid appsecret');
    return undefined;
  }

  function plainToken(request: StandInRequest) {
    context.count('token');
    const query = request.url.searchParams;
    const refused = credentialsError(query.get('appid'), query.get('secret'), query.get('grant_type'));
    if (refused) return refused;
    const previous = latestPlain ? tokens.get(latestPlain) : undefined;
    if (previous) previous.expiresAtMs = Math.min(previous.expiresAtMs, nowMs() + settings.accessTokenGraceSeconds * 1_000);
    latestPlain = issue();
    return grant(latestPlain);
  }

  /** Counts a force_refresh call: over the day's quota it is refused, too soon after the last refresh it refreshes nothing. */
  function forcedMode(): 'over-quota' | 'too-soon' | 'refresh' {
    const day = chinaTime(context.now()).slice(0, 10);
    if (forced.day !== day) Object.assign(forced, { day, calls: 0 });
    if (forced.calls >= FORCE_REFRESHES_PER_DAY) return 'over-quota';
    forced.calls += 1;
    if (nowMs() - forced.lastRefreshMs < FORCE_REFRESH_SPACING_MS) return 'too-soon';
    forced.lastRefreshMs = nowMs();
    return 'refresh';
  }

  function stableToken(request: StandInRequest) {
    context.count('stable_token');
    const body = jsonBody(request);
    if (!body) return reply(47001, 'data format error');
    const refused = credentialsError(body.appid, body.secret, body.grant_type);
    if (refused) return refused;
    if (body.force_refresh !== undefined && typeof body.force_refresh !== 'boolean') return reply(40097, 'invalid args: force_refresh');
    const mode = body.force_refresh === true ? forcedMode() : 'normal';
    if (mode === 'over-quota') return reply(45009, 'reach max api daily quota limit');
    const current = latestStable ? tokens.get(latestStable) : undefined;
    const renewAtMs = (current?.expiresAtMs ?? 0) - settings.stableTokenRenewBeforeSeconds * 1_000;
    if (latestStable && current && !current.revoked && nowMs() < renewAtMs && mode !== 'refresh') return grant(latestStable);
    if (current && mode === 'refresh') current.revoked = true;
    latestStable = issue();
    return grant(latestStable);
  }

  function everyToken(change: (token: IssuedToken) => void) {
    return () => {
      for (const token of tokens.values()) change(token);
      return json(200, { tokens: tokens.size });
    };
  }

  const check: TokenCheck = (token) => {
    if (!token) return 41001;
    const issued = tokens.get(token);
    if (!issued || issued.revoked) return 40001;
    return issued.expiresAtMs <= nowMs() ? 42001 : 0;
  };

  return {
    check,
    routes: [
      { method: 'GET', path: /^\/cgi-bin\/token$/, handle: plainToken },
      { method: 'POST', path: /^\/cgi-bin\/stable_token$/, handle: stableToken },
      { method: 'POST', path: /^\/__sandbox\/access-token\/invalidate$/, handle: everyToken((token) => (token.revoked = true)) },
      { method: 'POST', path: /^\/__sandbox\/access-token\/expire$/, handle: everyToken((token) => (token.expiresAtMs = Math.min(token.expiresAtMs, nowMs()))) },
    ],
  };
}
