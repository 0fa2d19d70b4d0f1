import type { ServerResponse } from 'node:http';
import { errorXml } from '../xml';

/** What a protocol route answers: a status and, except for 204, an XML body. */
export type Reply = { status: number; xml?: string };

const MQ_VERSION = '2015-06-06';

/** Every protocol answer carries the request id and version headers of the real service (protocol note 3). */
export function sendReply(res: ServerResponse, reply: Reply, requestId: string): void {
  const headers: Record<string, string | number> = { 'x-mq-request-id': requestId, 'x-mq-version': MQ_VERSION };
  if (reply.xml === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const body = Buffer.from(reply.xml, 'utf8');
  // The SDK parses XML only when the content type starts with exactly `text/xml` (case-sensitive).
  res.writeHead(reply.status, { ...headers, 'content-type': 'text/xml;charset=utf-8', 'content-length': body.length });
  res.end(body);
}

export const errorReply = (status: number, code: string, message: string, requestId: string, hostId: string): Reply => ({
  status,
  xml: errorXml(code, message, requestId, hostId),
});

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}
