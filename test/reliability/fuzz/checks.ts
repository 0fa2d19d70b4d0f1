import type { FuzzRequest } from './requests';

export type FuzzResponse = { status: number; contentType: string; text: string };

/**
 * What a body must never show: a stack frame, a source or install path, an SDK's or the runtime's own error names, or
 * a serialised object. Each pattern counts only when the request itself did not carry the text (the 404 names the
 * path it was asked for, a validation message the field it refused).
 */
const LEAKS: Array<[string, RegExp]> = [
  ['stack frame', /\bat [\w.<>]+ \(|\bat (file:|node:|\/)/],
  ['source path', /\/work\/|\/home\/|node_modules|\.ts:\d+|\.js:\d+/],
  ['runtime error', /\b(TypeError|ReferenceError|SyntaxError|RangeError)\b|Cannot read propert|is not a function|Maximum call stack/],
  ['SDK internals', /ConditionalCheckFailed|TransactionCanceled|ValidationException|ResourceNotFoundException|DynamoDB|ioredis|ECONNREFUSED|ECONNRESET|MQClient|\$metadata/],
  ['serialised object', /\[object Object\]/],
];

/** Why this answer to a request the service must refuse is wrong; empty when it is right. */
export function problemsOf(request: FuzzRequest, response: FuzzResponse): string[] {
  const problems: string[] = [];
  if (response.status >= 500) problems.push(`answered ${response.status}`);
  else if (response.status < 400) problems.push(`accepted with ${response.status}`);
  if (!/^application\/json/i.test(response.contentType)) problems.push(`content-type "${response.contentType}"`);
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    problems.push(`a body that is not JSON: ${response.text.slice(0, 80)}`);
  }
  const { code, message } = (body ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || code === '' || typeof message !== 'string') problems.push(`no error code and message: ${response.text.slice(0, 120)}`);
  const asked = `${request.method} ${decodeSafely(request.path)} ${JSON.stringify(request.headers)} ${request.body ?? ''}`;
  for (const [what, pattern] of LEAKS) {
    const shown = pattern.exec(response.text);
    if (shown && !asked.includes(shown[0])) problems.push(`${what} in the body: "${shown[0]}"`);
  }
  return problems;
}

function decodeSafely(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
