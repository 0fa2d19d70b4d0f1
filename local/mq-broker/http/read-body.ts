import type { IncomingMessage } from 'node:http';

/**
 * Generous cap on the raw request: a 4 MB body may grow several times when Java entity-escapes it. The message
 * limits themselves are checked after parsing.
 */
const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

/** The whole request body, or undefined when it exceeds the cap. */
export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
