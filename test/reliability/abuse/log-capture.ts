/**
 * Everything the process writes while `run` runs: the JSON logger (its own Console on process.stdout and stderr) and
 * console calls (the local gateway's lines), so that a test can search it.
 */
export async function captureLogs<T>(run: () => Promise<T>): Promise<{ result: T; text: string }> {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const writes = streams.map((stream) => stream.write);
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const consoleMethods = methods.map((name) => console[name]);
  const keep = (value: unknown) => chunks.push(typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : JSON.stringify(value));
  streams.forEach((stream) => {
    stream.write = ((chunk: unknown) => (keep(chunk), true)) as typeof stream.write;
  });
  for (const name of methods) console[name] = (...args: unknown[]) => void args.forEach(keep);
  try {
    const result = await run();
    return { result, text: chunks.join('\n') };
  } finally {
    streams.forEach((stream, i) => {
      stream.write = writes[i] as typeof stream.write;
    });
    methods.forEach((name, i) => {
      console[name] = consoleMethods[i] as (typeof console)[typeof name];
    });
  }
}
