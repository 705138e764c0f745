/** Bytes in words: "12 345 678 bytes (11.8 MiB)". */
export function formatBytes(bytes: number): string {
  return `${bytes} bytes (${(bytes / 2 ** 20).toFixed(1)} MiB)`;
}
