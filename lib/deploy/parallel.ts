/**
 * Requests a deploy has in flight at once, unless told otherwise: enough to hide each request's
 * round trip, far below the API server's default limits (400 requests, 200 of them mutating).
 */
export const DEFAULT_CONCURRENCY = 32;

/** Runs `task` on every item with at most `limit` at once; results come back in the items' order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
