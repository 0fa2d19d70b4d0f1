/**
 * A consumer's tag filter. `TagA||TagB` matches either tag exactly; no filter or `*` matches everything, an untagged
 * message included; an untagged message matches no explicit tag list (protocol note 8.8, as in TCP RocketMQ).
 */
export type TagFilter = (tag: string) => boolean;

export function parseTagFilter(raw: string | null): TagFilter {
  const tags = (raw ?? '').split('||').map((t) => t.trim()).filter(Boolean);
  if (tags.length === 0 || tags.includes('*')) return () => true;
  const wanted = new Set(tags);
  return (tag) => tag !== '' && wanted.has(tag);
}
