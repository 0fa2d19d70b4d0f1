import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startApi } from '../support/api';
import { rawExchange } from '../gateway/raw-http';
import { ensureConsoleBuilt } from '../../local/console/build';
import { CONSOLE_DIST } from '../../local/console/paths';
import { consoleFiles } from '../../local/console/static-files';

// The console's static files as the local gateway serves them: content types, caching, the CSP, and nothing outside
// console/dist however the path is written.
let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  [api] = await Promise.all([startApi(), ensureConsoleBuilt()]);
});
afterAll(() => api.close());

const get = (path: string, method = 'GET') => rawExchange(api.gateway.url, (socket) => socket.write(`${method} ${path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n`));
const assets = () => readdirSync(join(CONSOLE_DIST, 'assets'));

describe('the console under /console/', () => {
  it('serves the page and its hashed assets with their content types, the CSP and long caching for assets only', async () => {
    const page = await get('/console/');
    expect(page).toMatchObject({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' } });
    expect(page?.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page?.body).toBe(readFileSync(join(CONSOLE_DIST, 'index.html'), 'utf8'));

    const script = assets().find((name) => name.endsWith('.js'));
    const style = assets().find((name) => name.endsWith('.css'));
    expect(page?.body).toContain(`/console/assets/${script}`);
    expect(await get(`/console/assets/${script}`)).toMatchObject({ status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' } });
    expect(await get(`/console/assets/${style}`)).toMatchObject({ status: 200, headers: { 'content-type': 'text/css; charset=utf-8' } });
    expect(await get('/console/assets/missing.js')).toMatchObject({ status: 404, headers: { 'content-type': 'application/json; charset=utf-8' } });
  });

  it('redirects /console to /console/, answers HEAD without a body, and refuses other methods with 405', async () => {
    expect(await get('/console')).toMatchObject({ status: 301, headers: { location: '/console/' } });
    const head = await fetch(`${api.gateway.url}/console/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');
    const post = await fetch(`${api.gateway.url}/console/`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(await post.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
  });

  it.each([
    ['dot segments', '/console/../package.json'],
    ['encoded dots', '/console/%2e%2e/%2e%2e/package.json'],
    ['encoded slashes', '/console/..%2f..%2fpackage.json'],
    ['encoded backslashes', '/console/..%5c..%5cpackage.json'],
    ['an absolute path', '/console/%2fetc%2fpasswd'],
    ['a NUL byte', '/console/index.html%00.js'],
  ])('serves nothing outside console/dist for %s', async (_name, path) => {
    const answer = await get(path);
    expect(answer?.status).toBe(404);
    expect(answer?.body).not.toContain('"name": "wx-shop-backend"');
    expect(answer?.body).not.toContain('root:');
  });
});

describe('consoleFiles', () => {
  let root: string;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'console-files-'));
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'secret.txt'), 'not for the browser');
    symlinkSync(join(root, 'secret.txt'), join(root, 'dist', 'link.txt'));
    const serve = consoleFiles(join(root, 'dist'));
    server = createServer((req, res) => {
      if (!serve(req.method ?? 'GET', new URL(req.url ?? '/', 'http://localhost').pathname, res)) res.writeHead(418).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  it('does not follow a symbolic link out of its folder, and leaves other paths to the API', async () => {
    const exchange = (path: string) => rawExchange(url, (socket) => socket.write(`GET ${path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n`));
    expect((await exchange('/console/index.html'))?.status).toBe(200);
    expect(await exchange('/console/link.txt')).toMatchObject({ status: 404, body: expect.not.stringContaining('not for the browser') });
    expect((await exchange('/consoles'))?.status).toBe(418);
    expect((await exchange('/admin/orders'))?.status).toBe(418);
  });
});

it('builds a small console: its page, script and styles under 40 KB gzipped together', () => {
  const files = ['index.html', ...assets().map((name) => join('assets', name))];
  const gzipped = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(CONSOLE_DIST, file)), { level: 9 }).length, 0);
  expect(gzipped).toBeLessThan(40 * 1024);
});
