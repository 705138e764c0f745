/** How many working sets (one per call shape) a runner or a trainer keeps before freeing the least recently used. */
export const kShapeCacheSize = 4;

/**
 * Adds `value` under `key` as the most recently used entry of `cache` (a Map's insertion order is
 * the LRU order) and destroys the least recently used entries beyond kShapeCacheSize.
 */
export function cacheShape<T extends { destroy(): void }>(cache: Map<string, T>, key: string, value: T): T {
  cache.set(key, value);
  while (cache.size > kShapeCacheSize) {
    const [oldestKey, oldest] = cache.entries().next().value!;
    cache.delete(oldestKey);
    oldest.destroy();
  }
  return value;
}
