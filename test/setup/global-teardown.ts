export default async function globalTeardown(): Promise<void> {
  for (const service of globalThis.__testServices ?? []) await service.stop();
}
