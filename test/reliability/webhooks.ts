import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toErrorResponse } from '../../shared/lambda/http-errors';
import type { RawNotification } from '../../shared/ports/payment-gateway';

export type WebhookComponent = 'payWebhook' | 'refundWebhook';

/** Runs one delivery of a notification through the use case; `crashed` when its process died on the way. */
export type WebhookRun = (component: WebhookComponent, raw: RawNotification) => Promise<{ crashed: boolean }>;

export type WebhookReceiver = { payUrl: string; refundUrl: string; close(): Promise<void> };

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function headersOf(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(request.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])));
}

/**
 * The two WeChat Pay webhooks as WeChat Pay reaches them, each delivery a new invocation of the use case: answered
 * 204 after the commit, the status of the error table otherwise (5xx: WeChat Pay redelivers on its schedule), and no
 * answer at all when the function died (the connection drops, which WeChat Pay also redelivers).
 */
export async function startWebhookReceiver(run: WebhookRun): Promise<WebhookReceiver> {
  const answer = async (request: IncomingMessage, response: ServerResponse) => {
    const component: WebhookComponent = request.url?.startsWith('/refund') ? 'refundWebhook' : 'payWebhook';
    const raw: RawNotification = { headers: headersOf(request), body: await readBody(request) };
    let status = 204;
    try {
      if ((await run(component, raw)).crashed) {
        response.destroy();
        return;
      }
    } catch (error) {
      status = toErrorResponse(error)?.statusCode ?? 500;
    }
    response.writeHead(status, { 'content-type': 'application/json' }).end(status === 204 ? undefined : JSON.stringify({ code: 'FAIL', message: 'not taken' }));
  };
  const server = createServer((request, response) => void answer(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    payUrl: `${url}/pay`,
    refundUrl: `${url}/refund`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
