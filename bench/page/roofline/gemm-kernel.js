// WGSL of the GEMM yardstick, C = A · B (row-major, vec4-packed), for a given register block: each
// invocation of an 8×8 workgroup computes `rows` rows × 4·`quads` columns of C, its accumulators
// held in named vec4 variables (SwiftShader, like real GPUs, keeps those in registers and spills
// dynamically indexed arrays). Per 4 values of k it loads `rows` + 4·`quads` vec4s for
// 4·rows·quads vec4 FMAs: bigger blocks mean fewer loads per FMA.

/**
 * @param {number} rows @param {number} quads
 * @returns {{ code: string, workgroups: (n: number) => [number, number, number], sizeMultiple: number }}
 */
export function gemmKernel(rows, quads) {
  const blocks = [];
  for (let r = 0; r < rows; r++) for (let q = 0; q < quads; q++) blocks.push([r, q]);
  const lines = [
    'struct Dims { M: u32, N: u32, K: u32, pad: u32 }',
    '@group(0) @binding(0) var<uniform> dims: Dims;',
    '@group(0) @binding(1) var<storage, read> A: array<vec4f>;       // [M, K/4]',
    '@group(0) @binding(2) var<storage, read> B: array<vec4f>;       // [K, N/4]',
    '@group(0) @binding(3) var<storage, read_write> C: array<vec4f>; // [M, N/4]',
    '',
    '@compute @workgroup_size(8, 8)',
    'fn main(@builtin(global_invocation_id) gid: vec3u) {',
    '  let n4 = dims.N / 4u;',
    '  let k4 = dims.K / 4u;',
    `  let row = gid.y * ${rows}u;`,
    `  let quad = gid.x * ${quads}u;`,
    ...blocks.map(([r, q]) => `  var c${r}_${q} = vec4f(0.0);`),
    '  for (var k = 0u; k < k4; k++) {',
    ...Array.from({ length: rows }, (_, r) => `    let a${r} = A[(row + ${r}u) * k4 + k];`),
  ];
  for (let j = 0; j < 4; j++) {
    for (let q = 0; q < quads; q++) lines.push(`    let b${j}_${q} = B[(4u * k + ${j}u) * n4 + quad + ${q}u];`);
    for (const [r, q] of blocks) lines.push(`    c${r}_${q} = fma(vec4f(a${r}.${'xyzw'[j]}), b${j}_${q}, c${r}_${q});`);
  }
  lines.push('  }', ...blocks.map(([r, q]) => `  C[(row + ${r}u) * n4 + quad + ${q}u] = c${r}_${q};`), '}');
  return {
    code: lines.join('\n'),
    workgroups: (n) => [n / (32 * quads), n / (8 * rows), 1],
    sizeMultiple: Math.max(32 * quads, 8 * rows),
  };
}

/** The register blocks tried, [rows, quads]; the yardstick is the fastest. @type {[number, number][]} */
export const kGemmBlocks = [
  [4, 1],
  [8, 2],
  [8, 4],
];
