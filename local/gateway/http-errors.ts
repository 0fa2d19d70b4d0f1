import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** How long a connection answered with `connection: close` keeps reading (and dropping) what the client still sends. */
const LINGER_MS = 5_000;

/** The contract's error body (docs: every error is `{code, message}`), for every answer the gateway itself gives. */
const errorJson = (code: string, message: string): Buffer => Buffer.from(JSON.stringify({ code, message }), 'utf8');

const JSON_TYPE = 'application/json; charset=utf-8';

export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = errorJson(code, message);
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': body.length });
  res.end(body);
}

/**
 * Answers on the raw socket and closes it, for requests Node's parser refused (there is no response object then) and
 * for bodies we stop reading. The close is lingering: the write side ends at once, but the socket keeps reading and
 * dropping the client's bytes for a while. Destroying it with unread bytes would send a reset, and a client still
 * uploading would lose the answer it has not read yet.
 */
export function answerAndClose(socket: Duplex, status: number, code: string, message: string): void {
  const body = errorJson(code, message);
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    `content-type: ${JSON_TYPE}`,
    `content-length: ${body.length}`,
    `date: ${new Date().toUTCString()}`,
    'connection: close',
  ];
  socket.write(`${head.join('\r\n')}\r\n\r\n`);
  socket.end(body);
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/** What Node's parser reported (`HPE_*`, or a timeout) mapped to the answer, as Node's own default picks the status. */
export function parseFailureAnswer(error: NodeJS.ErrnoException & { reason?: unknown }): { status: number; code: string; message: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'HEADERS_TOO_LARGE', message: 'request headers are over 16 KiB' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'chunk extensions are too large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'REQUEST_TIMEOUT', message: 'the request did not arrive in time' };
    default: {
      const reason = typeof error.reason === 'string' && error.reason !== '' ? `: ${error.reason}` : '';
      return { status: 400, code: 'BAD_REQUEST', message: `malformed HTTP request${reason}` };
    }
  }
}
