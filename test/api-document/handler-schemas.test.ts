import { join } from 'node:path';
import { apiRoutes, type ApiRoute, type Auth } from '../../local/api-document/routes';
import { envelopeSchema } from '../../shared/adapters/wechat/pay-notification';
import { loadRoutes } from '../../local/gateway/routes';
import { httpSpecOf, importsOf, ROOT } from './handler-source';

// The document describes each route with the very schema objects its handler validates with, and with the handler's
// own way of authenticating: read from the handler's `httpHandler({ ... })` call and its imports.
const handlerFileOf = new Map(loadRoutes().map((route) => [route.functionName, join(ROOT, `${route.handler.replace(/\.handler$/, '')}.ts`)]));

const authOf: Record<string, Auth> = { userAuth: 'bearer', adminAuth: 'adminKey' };

function handlerAuth(spec: Record<string, string>): Auth {
  if (spec.wechatPayWebhook === 'true') return 'wechatPaySignature';
  return spec.auth ? (authOf[spec.auth] ?? (`unknown ${spec.auth}` as Auth)) : 'none';
}

/** The object a handler passes as `key`, loaded from the module it imports it from. */
async function handlerSchema(file: string, spec: Record<string, string>, key: string): Promise<unknown> {
  const name = spec[key];
  if (!name) return undefined;
  const from = importsOf(file).get(name);
  if (!from) throw new Error(`${file}: ${key}: ${name} is not imported from a module of ours`);
  return ((await import(from)) as Record<string, unknown>)[name];
}

describe.each(apiRoutes.map((route) => [`${route.method} ${route.path}`, route] as [string, ApiRoute]))('%s', (_key, route) => {
  const file = handlerFileOf.get(route.functionName) as string;
  const spec = () => httpSpecOf(file);

  it('authenticates as the document says', () => {
    expect(file).toBeDefined();
    expect(handlerAuth(spec())).toBe(route.auth);
  });

  it.each(['path', 'query', 'body'] as const)('is documented with the %s schema its handler validates with', async (key) => {
    if (route.auth === 'wechatPaySignature' && key === 'body') {
      // A webhook's body is parsed by the signature verifier (shared/adapters/wechat/pay-notification.ts), not by httpHandler.
      expect(spec().body).toBeUndefined();
      expect(route.request?.body).toBe(envelopeSchema);
      return;
    }
    expect(route.request?.[key]).toBe(await handlerSchema(file, spec(), key));
  });
});
