/** Reserved property keys (protocol note 5). */
export const KEYS = 'KEYS';
export const START_DELIVER_TIME = '__STARTDELIVERTIME';
export const TRANS_CHECK_SECONDS = '__TransCheckT';
export const SHARDING_KEY = '__SHARDINGKEY';

export type Properties = Array<[key: string, value: string]>;

/**
 * Parses `k1:v1|k2:v2`. Java and Go end the string with `|` and empty segments occur, so they are skipped; a segment
 * without `:` carries no pair and is dropped. The value is everything after the first `:` so that an unchecked
 * `messageKey('a:b')` is stored and echoed as sent, and the SDK on the consuming side drops it as it would in
 * production (protocol note 4.2, 11.10).
 */
export function parseProperties(text: string | undefined): Properties {
  if (!text) return [];
  const pairs: Properties = [];
  for (const segment of text.split('|')) {
    const colon = segment.indexOf(':');
    if (colon <= 0) continue;
    pairs.push([segment.slice(0, colon), segment.slice(colon + 1)]);
  }
  return pairs;
}

export const formatProperties = (pairs: Properties): string => pairs.map(([k, v]) => `${k}:${v}`).join('|');

export const propertyValue = (pairs: Properties, key: string): string | undefined => pairs.find(([k]) => k === key)?.[1];

/** The shape the Node SDK hands to consumers, minus its KEYS/`__*` renames; used by the admin route. */
export const propertiesObject = (pairs: Properties): Record<string, string> => Object.fromEntries(pairs);
