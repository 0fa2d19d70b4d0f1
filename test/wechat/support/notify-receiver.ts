import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedNotification = { headers: IncomingHttpHeaders; body: string; receivedAtMs: number; answeredStatus: number };

type Reply = number | { status: number; headers: Record<string, string> };
/** Decides the HTTP status (and headers) for the n-th (1-based) delivery; may also hang by never resolving. */
export type Answer = (delivery: number, received: Omit<ReceivedNotification, 'answeredStatus'>) => Reply | Promise<Reply>;

export type NotifyReceiver = {
  url: string;
  received: ReceivedNotification[];
  /** Resolves once `count` deliveries arrived, failing after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedNotification[]>;
  close(): Promise<void>;
};

/** A loopback `notify_url` that records every delivery and answers as told. */
export async function startNotifyReceiver(answer: Answer = () => 204): Promise<NotifyReceiver> {
  const received: ReceivedNotification[] = [];
  let deliveries = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries += 1;
      const delivery = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAtMs: Date.now() };
      void Promise.resolve(answer(deliveries, delivery)).then((reply) => {
        const { status, headers } = typeof reply === 'number' ? { status: reply, headers: {} } : reply;
        received.push({ ...delivery, answeredStatus: status });
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(status < 300 ? undefined : JSON.stringify({ code: 'FAIL', message: 'rejected by the test receiver' }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/wxpay/notify`,
    received,
    async waitFor(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} deliveries, got ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return received;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
