import type { Random } from './random';

/** Strings that break out of SQL, NoSQL expressions, templates, shells, paths, headers and HTML. */
export const INJECTIONS = [
  "' OR '1'='1",
  '"; DROP TABLE orders; --',
  '<script>alert(1)</script>',
  '${7*7}',
  '{{7*7}}',
  '#{7*7}',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '; cat /etc/passwd',
  '`id`',
  '$(id)',
  'attribute_not_exists(orderId) OR #status = :paid',
  '{"$gt": ""}',
  '{"$where": "1"}',
  'javascript:alert(1)',
  '\r\nSet-Cookie: injected=1',
  'admin\u0000',
  '%00',
  '%2e%2e%2f',
  '*',
  '?',
  '&limit=100',
  'SELECT * FROM users',
  'x'.repeat(65),
];

/** Unicode that trips normalisation, length and encoding logic: lone surrogates, direction marks, zero-width, NUL, astral. */
export const ODD_UNICODE = ['\ud800', '\udfff', 'a\ud83d', '\u202e\u0067\u006e\u0070', '\u200b', '\ufeff', '\u0000', '\uffff', '😀😀😀', '𝕏𝕐', 'Ａｄｍｉｎ', 'é', 'e\u0301', '中文标题', '\u0085', '\u2028'];

/** Numbers outside what any field accepts, and numbers in disguise. */
export const OUT_OF_RANGE: unknown[] = [0, -1, 100, 101, 1e308, -1e308, 1.5, 2 ** 53, 2 ** 53 + 2, 1e-7, -0.0001, 100_000_001, 1_000_001, '1', '99', 'NaN', 'Infinity', '0x10', '1e2'];

export const WRONG_TYPES: unknown[] = [null, true, false, 0, 12.5, 'text', [], ['a'], {}, { nested: { deep: true } }];

/** Keys that pollute Object.prototype when merged naively. */
export const PROTO_BODIES: Array<Record<string, unknown>> = [
  JSON.parse('{"__proto__": {"isAdmin": true, "status": "PAID", "polluted": "yes"}}'),
  { constructor: { prototype: { polluted: 'yes' } } },
  JSON.parse('{"__proto__": {"__proto__": {"polluted": "yes"}}}'),
  { prototype: { polluted: 'yes' } },
];

/** Bodies that JSON.parse refuses (each one: a body that parses, even oddly, is not in this list). */
export const MALFORMED_JSON = ['{', '{"a":', '{"a":1,}', "{'a':1}", '[1,2', '{"a":NaN}', 'undefined', '{"a":1}garbage', '\u0000', 'tru', '{"a":"\\x41"}', '{"a":"unterminated}', '{"a" 1}', '// comment\n{}', '\ufeff{}'];

/** `depth` levels of nesting, as arrays or objects: JSON.parse takes it, naive recursion does not. */
export function deepJson(random: Random, depth: number, shape: 'array' | 'object' = random.chance(0.5) ? 'array' : 'object'): string {
  return shape === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** A JSON string value of about `bytes` bytes. */
export const hugeString = (bytes: number) => 'x'.repeat(bytes);

/** A value of some other kind than what a field wants. */
export function badValue(random: Random): unknown {
  return random.pick([() => random.pick(WRONG_TYPES), () => random.pick(OUT_OF_RANGE), () => random.pick(INJECTIONS), () => random.pick(ODD_UNICODE)])();
}

/** A value that can never be one of our ids (1-64 of [0-9A-Za-z_-]): what a breaking id mutation uses. */
export function badId(random: Random): string {
  const candidates = [...INJECTIONS, ...ODD_UNICODE, '', 'a'.repeat(65), 'id with spaces', 'ümlaut', 'a/b', 'a.b'];
  return random.pick(candidates.filter((value) => !/^[0-9A-Za-z_-]{1,64}$/.test(value)));
}
