import { loadRoutes } from '../../local/gateway/routes';
import { buildOpenApiDocument } from '../../local/api-document/openapi';

// The document and serverless.yml describe the same API: every HTTP route of serverless.yml is an operation of the
// document, served by the function the document names, and the document has no operation that is not a route.
const document = buildOpenApiDocument() as { paths: Record<string, Record<string, { operationId: string }>> };
const documented = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, functionName: operation.operationId })),
);
// The catch-all `$default` route (functions/not-found) is API Gateway's 404, described in the document's introduction.
const routes = loadRoutes().filter((route) => route.routeKey !== '$default');

describe('the API document and serverless.yml', () => {
  it('documents every HTTP route of serverless.yml', () => {
    const keys = new Set(documented.map((operation) => operation.key));
    expect(routes.map((route) => route.routeKey).filter((key) => !keys.has(key))).toEqual([]);
  });

  it('documents no operation that serverless.yml does not route', () => {
    const keys = new Set(routes.map((route) => route.routeKey));
    expect(documented.map((operation) => operation.key).filter((key) => !keys.has(key))).toEqual([]);
  });

  it('names, as each operationId, the function that serves the route', () => {
    const functionOf = new Map(routes.map((route) => [route.routeKey, route.functionName]));
    const wrong = documented.filter((operation) => functionOf.has(operation.key) && functionOf.get(operation.key) !== operation.functionName);
    expect(wrong.map((operation) => `${operation.key}: ${operation.functionName}, served by ${functionOf.get(operation.key)}`)).toEqual([]);
  });
});
