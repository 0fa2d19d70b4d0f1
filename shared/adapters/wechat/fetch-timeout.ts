/** Whether a fetch failed on its AbortSignal timeout. By name: the error is a DOMException, not always an `Error` of this realm. */
export function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
