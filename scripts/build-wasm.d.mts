/** Builds src/wasm/generated/binaries.ts when the kernels changed; resolves to whether it wrote it. */
export function buildWasm(options?: { force?: boolean; log?: (line: string) => void }): Promise<boolean>;
