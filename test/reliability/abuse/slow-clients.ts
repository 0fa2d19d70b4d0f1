import { connect, type Socket } from 'node:net';

/**
 * Ties up a server the cheap ways: `idle` connections that never send a byte, and `slow` uploads that announce a body
 * and stop after a few bytes. Returns a function that lets them all go.
 */
export async function tieUp(url: string, idle: number, slow: number): Promise<() => void> {
  const { hostname, port } = new URL(url);
  const open = (): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => resolve(socket));
      socket.once('error', reject);
    });
  const sockets = await Promise.all(Array.from({ length: idle + slow }, open));
  sockets.slice(idle).forEach((socket, i) => {
    socket.write(`POST /orders HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\nx-slow-client: ${i}\r\n\r\n{"requestId":`);
  });
  for (const socket of sockets) socket.on('error', () => undefined);
  return () => sockets.forEach((socket) => socket.destroy());
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
