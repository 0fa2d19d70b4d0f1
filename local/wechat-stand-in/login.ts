import { createHash, randomBytes } from 'node:crypto';
import { json, jsonBody, type Route, type StandInRequest } from './http';
import type { StandInContext } from './options';

type IssuedCode = { openid: string; unionid?: string; expiresAtMs: number; used: boolean };

/** Real openids are 28 characters starting with `o`; the same test user always gets the same one per app. */
function openidFor(appid: string, user: string): string {
  return `o${createHash('sha256').update(`${appid}:${user}`).digest('base64url').slice(0, 27)}`;
}

const reply = (errcode: number, errmsg: string) => json(200, { errcode, errmsg: `${errmsg}, rid: ${randomBytes(4).toString('hex')}` });

/**
 * `GET /sns/jscode2session` and the `wx.login` simulation: single-use codes that expire, deterministic openids,
 * and injectable errcodes (one queued errcode answers one call, before the code is looked at).
 */
export function loginRoutes(context: StandInContext): Route[] {
  const codes = new Map<string, IssuedCode>();
  const injectedErrcodes: number[] = [];
  /** Errcodes for one login code only: tests sharing a stand-in cannot take each other's. */
  const injectedForCode = new Map<string, number[]>();
  const { settings } = context;

  function issueCode(request: StandInRequest) {
    const body = jsonBody(request) ?? {};
    const openid = typeof body.openid === 'string' && body.openid ? body.openid : openidFor(settings.appid, typeof body.user === 'string' ? body.user : randomBytes(12).toString('hex'));
    const code = randomBytes(24).toString('base64url');
    const unionid = typeof body.unionid === 'string' ? body.unionid : undefined;
    codes.set(code, { openid, unionid, used: false, expiresAtMs: context.now().getTime() + settings.loginCodeLifetimeSeconds * 1_000 });
    context.knownOpenids.add(openid);
    return json(200, { code, openid });
  }

  function injectErrcodes(request: StandInRequest) {
    const body = jsonBody(request);
    const errcodes = body?.errcodes;
    if (!Array.isArray(errcodes) || !errcodes.every((errcode) => Number.isInteger(errcode))) return json(400, { code: 'VALIDATION_FAILED', message: 'errcodes must be a list of integers' });
    const code = body?.code;
    if (code !== undefined && (typeof code !== 'string' || code === '')) return json(400, { code: 'VALIDATION_FAILED', message: 'code must be a login code' });
    if (code === undefined) {
      injectedErrcodes.push(...(errcodes as number[]));
      return json(200, { queued: injectedErrcodes.length });
    }
    const queue = [...(injectedForCode.get(code) ?? []), ...(errcodes as number[])];
    injectedForCode.set(code, queue);
    return json(200, { queued: queue.length, code });
  }

  /** The next injected errcode for a call with this code: its own queue first, then the unscoped one. */
  function nextInjected(jsCode: string): number | undefined {
    const own = injectedForCode.get(jsCode);
    if (own && own.length > 0) return own.shift();
    return injectedErrcodes.shift();
  }

  function redeem(request: StandInRequest) {
    context.count('jscode2session');
    const query = request.url.searchParams;
    if (query.get('appid') !== settings.appid) return reply(40013, 'invalid appid');
    if (query.get('secret') !== settings.appSecret) return reply(40125, 'invalid appsecret');
    if (query.get('grant_type') !== 'authorization_code') return reply(40002, 'invalid grant_type');
    const jsCode = query.get('js_code');
    if (!jsCode) return reply(41008, 'missing code');
    const injected = nextInjected(jsCode);
    if (injected !== undefined) return reply(injected, 'injected by the stand-in');
    const issued = codes.get(jsCode);
    if (!issued || issued.expiresAtMs <= context.now().getTime()) return reply(40029, 'invalid code');
    if (issued.used) return reply(40163, 'code been used');
    issued.used = true;
    const session = { openid: issued.openid, session_key: randomBytes(16).toString('base64'), ...(issued.unionid ? { unionid: issued.unionid } : {}) };
    return json(200, session);
  }

  return [
    { method: 'POST', path: /^\/__sandbox\/login-codes$/, handle: issueCode },
    { method: 'POST', path: /^\/__sandbox\/login-faults$/, handle: injectErrcodes },
    { method: 'GET', path: /^\/sns\/jscode2session$/, handle: redeem },
    // WeChat answers a POST as if the query were missing.
    { method: 'POST', path: /^\/sns\/jscode2session$/, handle: () => reply(41002, 'appid missing') },
  ];
}
