import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRoutes, loadScheduledFunctions, PROJECT_ROOT } from '../../local/gateway/routes';

// Every function of serverless.yml has sample events under events/<its folder>, and an HTTP sample names the route
// its function serves: the same files feed `serverless invoke local -p` and the handler tests.
const folderOf = (handler: string) => handler.split('/')[1] as string;
const samples = (folder: string) => readdirSync(join(PROJECT_ROOT, 'events', folder)).filter((f) => f.endsWith('.json'));
const read = (folder: string, file: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, 'events', folder, file), 'utf8'));

describe('sample events', () => {
  const routes = loadRoutes().filter((route) => route.routeKey !== '$default');

  it.each(routes.map((route) => [route.functionName, route]))('%s has HTTP samples for its own route', (_name, route) => {
    const folder = folderOf(route.handler);
    const files = samples(folder);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(read(folder, file).routeKey).toBe(route.routeKey);
  });

  it.each(loadScheduledFunctions().map((fn) => [fn.functionName, fn]))('%s has a scheduled sample', (_name, fn) => {
    const folder = folderOf(fn.handler);
    expect(samples(folder)).toContain('scheduled.json');
    expect(read(folder, 'scheduled.json')['detail-type']).toBe('Scheduled Event');
  });
});
