import { readFileSync, realpathSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { sendError } from '../gateway/http-errors';
import { CONSOLE_DIST } from './paths';

const PREFIX = '/console/';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Same origin only: the page may load and call nothing but this host, so a bundled dependency that reached for a CDN
 * or a tracker would fail loudly in the browser tests. The same header belongs on CloudFront (README, Deploying).
 */
export const CONSOLE_CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The file under `root` that `relative` (still percent-encoded) names, or undefined when it names none or leaves root. */
function fileUnder(root: string, relative: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return undefined;
  }
  // The URL parser already removed dot segments; these catch what only decoding reveals (%2F.., %5C, %00).
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((segment) => segment === '..')) return undefined;
  const file = resolve(root, decoded);
  try {
    // realpath: a symbolic link inside the folder must not lead out of it either.
    const real = realpathSync(file);
    return real.startsWith(realpathSync(root) + sep) && statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, method: string, file: string): void {
  const body = readFileSync(file);
  res.writeHead(200, {
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    // Vite names every asset by its content hash: those never change; the page itself is checked each time.
    'cache-control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    'content-security-policy': CONSOLE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(method === 'HEAD' ? undefined : body);
}

/**
 * The operators' console under /console/ from its built files (console/dist), as CloudFront serves them from S3.
 * Only GET and HEAD; nothing outside the folder, however the path is encoded. True when it answered.
 */
export function consoleFiles(root: string = CONSOLE_DIST) {
  return (method: string, path: string, res: ServerResponse): boolean => {
    if (path !== '/console' && !path.startsWith(PREFIX)) return false;
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendError(res, 405, 'METHOD_NOT_ALLOWED', 'the console is static files: GET or HEAD only');
      return true;
    }
    if (path === '/console') {
      // Relative asset URLs need the trailing slash.
      res.writeHead(301, { location: PREFIX, 'content-length': 0 });
      res.end();
      return true;
    }
    const file = fileUnder(root, path.slice(PREFIX.length) || 'index.html');
    if (file) send(res, method, file);
    else if (path === PREFIX) sendError(res, 404, 'NOT_FOUND', 'the console is not built: run npm run console:build');
    else sendError(res, 404, 'NOT_FOUND', `no console file at ${path}`);
    return true;
  };
}

export const serveConsoleFiles = consoleFiles();
