import { connect, type Socket } from 'node:net';

export type RawAnswer = { status: number; headers: Record<string, string>; body: string };

function parseAnswer(raw: Buffer): RawAnswer | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  const body = raw.subarray(end + 4);
  const length = Number(headers['content-length']);
  if (Number.isInteger(length) && body.length < length) return undefined;
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.toString('utf8') };
}

/**
 * Sends a request exactly as given (no client normalises the path or the headers, like `curl --path-as-is`), then
 * reads the answer. `send` writes the request; the promise settles with the first whole answer, or null when the
 * server closed without one. A reset before the answer rejects.
 */
export function rawExchange(url: string, send: (socket: Socket) => void, timeoutMs = 10_000): Promise<RawAnswer | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => (socket.destroy(), reject(new Error('no answer in time'))), timeoutMs);
    const settle = (answer: RawAnswer | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const answer = parseAnswer(Buffer.concat(chunks));
      if (answer) settle(answer);
    });
    socket.on('end', () => settle(parseAnswer(Buffer.concat(chunks)) ?? null));
    socket.on('close', () => settle(parseAnswer(Buffer.concat(chunks)) ?? null));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('connect', () => send(socket));
  });
}

/** A request given as text: the request line and headers, a blank line, then the body. */
export const rawRequest = (url: string, text: string) => rawExchange(url, (socket) => socket.write(text));

/**
 * Uploads `size` bytes of body after `head`, respecting backpressure, in 1 MiB writes; `chunked` frames each write
 * as an HTTP/1.1 chunk (the head must then say `transfer-encoding: chunked`), so the server cannot know the size first.
 */
export function upload(socket: Socket, head: string, size: number, chunked = false): void {
  socket.write(head);
  const chunk = Buffer.alloc(1024 * 1024, 'a');
  let sent = 0;
  const pump = () => {
    while (sent < size && !socket.destroyed) {
      const n = Math.min(chunk.length, size - sent);
      sent += n;
      const last = sent === size && chunked ? '0\r\n\r\n' : '';
      const data = chunked ? Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), chunk.subarray(0, n), Buffer.from(`\r\n${last}`)]) : chunk.subarray(0, n);
      if (!socket.write(data)) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  pump();
}
