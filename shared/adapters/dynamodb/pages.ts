type Page = { Items?: unknown[]; LastEvaluatedKey?: Record<string, unknown> };

/** Reads every page of a Scan or Query: `read` is called with each page's start key until there is none. */
export async function readAllPages<T>(read: (startKey?: Record<string, unknown>) => Promise<Page>): Promise<T[]> {
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await read(startKey);
    items.push(...((page.Items ?? []) as T[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
