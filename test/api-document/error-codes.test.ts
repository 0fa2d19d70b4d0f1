import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { statusesOf, type ErrorCode } from '../../local/api-document/errors';
import { buildOpenApiDocument, errorsByStatus } from '../../local/api-document/openapi';
import { apiRoutes } from '../../local/api-document/routes';
import { loadRoutes } from '../../local/gateway/routes';
import { domainErrorCodes, reachableCode, ROOT, thrownCodes } from './handler-source';

// Every error a handler can answer is in the document, with the status the error table gives it.
type Operation = { operationId: string; parameters?: unknown[]; requestBody?: unknown; responses: Record<string, Response> };
type Response = { headers?: Record<string, unknown>; content?: { 'application/json': { schema: { properties: { code: { enum?: string[]; const?: string } } } } } };

const document = buildOpenApiDocument() as { paths: Record<string, Record<string, Operation>> };
const operationOf = (method: string, path: string) => document.paths[path]?.[method.toLowerCase()] as Operation;
/** The codes the document lists for a status of an operation. */
const documentedCodes = (operation: Operation, status: number) => operation.responses[status]?.content?.['application/json'].schema.properties.code.enum ?? [];

const sharedFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sharedFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [join(dir, entry.name)] : [],
  );

describe('error codes in the API document', () => {
  it('gives every code a route lists the status of shared/lambda/http-errors.ts', () => {
    const codes = new Set(apiRoutes.flatMap((route) => [...errorsByStatus(route).values()].flat()));
    expect(() => [...codes].map(statusesOf)).not.toThrow();
    expect(statusesOf('OUT_OF_STOCK')).toEqual([409]);
    expect(statusesOf('PAYMENT_NOTIFICATION_REJECTED')).toEqual([400, 401]);
  });

  it('refuses a code the error table does not know (it would answer 500)', () => {
    expect(() => statusesOf('NO_SUCH_CODE' as ErrorCode)).toThrow(/not in shared\/lambda\/http-errors\.ts's table/);
  });

  describe.each(apiRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_key, route) => {
    const operation = operationOf(route.method, route.path);
    const webhook = route.auth === 'wechatPaySignature';
    const hasInput = Boolean(operation.parameters?.length || operation.requestBody);

    it('lists the answers every route of its kind gives: 401, 400 VALIDATION_FAILED, 503, 500', () => {
      if (webhook) {
        // WeChat Pay reads only the status: every error body is { code: "FAIL" }.
        for (const status of ['400', '401', '500', '503']) expect(operation.responses[status]?.content?.['application/json'].schema.properties.code.const).toBe('FAIL');
        return;
      }
      if (route.auth !== 'none') expect(documentedCodes(operation, 401)).toContain('UNAUTHORIZED');
      if (hasInput) expect(documentedCodes(operation, 400)).toContain('VALIDATION_FAILED');
      if (route.usesDependencies !== false) expect(documentedCodes(operation, 503)).toContain('DEPENDENCY_UNAVAILABLE');
      expect(documentedCodes(operation, 500)).toEqual(['INTERNAL_ERROR']);
    });

    it('documents Retry-After on every 503 and 429', () => {
      for (const status of ['503', '429']) {
        if (operation.responses[status]) expect(operation.responses[status]?.headers?.['Retry-After']).toBeDefined();
      }
    });

    it('lists every domain error its handler\'s use cases throw', () => {
      const handler = loadRoutes().find((r) => r.functionName === route.functionName)?.handler as string;
      const handlerFile = join(ROOT, `${handler.replace(/\.handler$/, '')}.ts`);
      // What the flow itself decides; the errors of adapters (DynamoDB transactions, cursors, WeChat) are listed by hand.
      const code = reachableCode(handlerFile, ['shared/use-cases', 'shared/domain']);
      const mapped = [...thrownCodes(code, domainErrorCodes(sharedFiles(join(ROOT, 'shared'))))].filter((code) => {
        try {
          return statusesOf(code as ErrorCode).length > 0;
        } catch {
          return false; // not in the error table: a 500, which every route lists
        }
      });
      const listed = new Set<string>([...errorsByStatus(route).values()].flat());
      expect(mapped.filter((code) => !listed.has(code))).toEqual([]);
    });
  });
});
