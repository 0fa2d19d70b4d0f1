import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type Tags } from 'yaml';

export const PROJECT_ROOT = join(__dirname, '..', '..');

/** One HTTP API route of serverless.yml: `GET /stores/{storeId}` served by `getStore`. */
export type Route = {
  functionName: string;
  /** `functions/get-store/handler.handler` */
  handler: string;
  method: string;
  path: string;
  routeKey: string;
  timeoutSeconds: number;
  match(method: string, path: string): Record<string, string> | undefined;
  specificity: number;
};

// serverless.yml uses CloudFormation short tags; they only matter on AWS, so read them as plain values.
const cloudFormationTags: Tags = ['GetAtt', 'Sub', 'Ref', 'Join', 'If', 'Select', 'Split', 'ImportValue'].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: unknown) => value },
]) as unknown as Tags;

type ServerlessFunction = {
  handler: string;
  /** serverless-iam-roles-per-function: statements, or `${self:custom.<name>}` naming one under `custom`. */
  iamRoleStatements?: unknown[];
  timeout?: number;
  events?: Array<{ httpApi?: string | { method: string; path: string }; schedule?: string | { rate: string } }>;
};
export type ServerlessFile = { provider: { timeout?: number }; custom?: Record<string, unknown>; functions: Record<string, ServerlessFunction> };

/** serverless.yml as data; CloudFormation's tags read as plain values unless `customTags` says otherwise. */
export function readServerlessFile(file: string, customTags: Tags = cloudFormationTags): ServerlessFile {
  return parse(readFileSync(file, 'utf8'), { customTags }) as ServerlessFile;
}

/** A function serverless.yml runs on a schedule (MQ consumers, the outbox relay). */
export type ScheduledFunction = { functionName: string; handler: string; timeoutSeconds: number };

export function loadScheduledFunctions(file = join(PROJECT_ROOT, 'serverless.yml')): ScheduledFunction[] {
  const config = readServerlessFile(file);
  return Object.entries(config.functions)
    .filter(([, fn]) => fn.events?.some((event) => event.schedule))
    .map(([functionName, fn]) => ({ functionName, handler: fn.handler, timeoutSeconds: fn.timeout ?? config.provider.timeout ?? 6 }));
}

function matcher(method: string, path: string): Route['match'] {
  if (path === '*') return () => ({});
  const segments = path.split('/').filter(Boolean);
  return (requestMethod, requestPath) => {
    if (method !== '*' && method.toUpperCase() !== requestMethod) return undefined;
    const parts = requestPath.split('/').filter(Boolean);
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as string;
      const greedy = /^\{(.+)\+\}$/.exec(segment);
      if (greedy) {
        if (i >= parts.length) return undefined;
        params[greedy[1] as string] = parts.slice(i).map(decodeURIComponent).join('/');
        return params;
      }
      const part = parts[i];
      if (part === undefined) return undefined;
      const param = /^\{(.+)\}$/.exec(segment);
      if (param) params[param[1] as string] = decodeURIComponent(part);
      else if (segment !== part) return undefined;
    }
    return parts.length === segments.length ? params : undefined;
  };
}

/** The HTTP routes declared in serverless.yml, most specific first, as API Gateway picks them. */
export function loadRoutes(file = join(PROJECT_ROOT, 'serverless.yml')): Route[] {
  const config = readServerlessFile(file);
  const routes: Route[] = [];
  for (const [functionName, fn] of Object.entries(config.functions)) {
    for (const event of fn.events ?? []) {
      if (!event.httpApi) continue;
      const { method, path } = typeof event.httpApi === 'string' ? { method: '*', path: '*' } : event.httpApi;
      const literal = path === '*' ? -1 : path.split('/').filter((s: string) => s && !s.startsWith('{')).length;
      routes.push({
        functionName,
        handler: fn.handler,
        method: method.toUpperCase(),
        path,
        routeKey: path === '*' ? '$default' : `${method.toUpperCase()} ${path}`,
        timeoutSeconds: fn.timeout ?? config.provider.timeout ?? 6,
        match: matcher(method, path),
        specificity: literal * 10 + (method === '*' ? 0 : 1),
      });
    }
  }
  return routes.sort((a, b) => b.specificity - a.specificity);
}
