/**
 * The weights in the layouts the kernels read (src/wasm/assembly/layout.ts, tile.ts), packed once
 * at load from PyTorch's (gate row blocks i, f, g, o of H rows each).
 *
 * Gate-interleaved columns: of the 4H gate rows, column n = 16q + 4·gate + lane stands for
 * PyTorch's row gate·H + 4q + lane — quad q of units, all four gates — with Hp = 4⌈H/4⌉ units, the
 * units past H being zero padding.
 */

/** 4Hp: the gate-interleaved width of one row of G or dz. */
export function gateColumns(hidden: number): number {
  return 4 * 4 * Math.ceil(hidden / 4);
}

/** PyTorch's gate row for gate-interleaved column n, or −1 for a padding unit. */
export function gateRowOf(n: number, hidden: number): number {
  const quad = Math.floor(n / 16);
  const gate = Math.floor((n % 16) / 4);
  const unit = 4 * quad + (n % 4);
  return unit < hidden ? gate * hidden + unit : -1;
}

/**
 * W [4H, K] (row-major, K = I for W_ih, R for W_hh) as the B operand of x·Wᵀ over gate-interleaved
 * columns: panel q (one quad of units) is K rows of 16 floats, row k holding W[gateRowOf(16q + j)][k].
 */
export function packGatePanels(weight: ArrayLike<number>, hidden: number, inner: number, out: Float32Array): void {
  const columns = gateColumns(hidden);
  for (let n = 0; n < columns; n++) {
    const row = gateRowOf(n, hidden);
    const panel = Math.floor(n / 16) * inner * 16;
    for (let k = 0; k < inner; k++) out[panel + k * 16 + (n % 16)] = row < 0 ? 0 : weight[row * inner + k];
  }
}

/** A bias [4H] in gate-interleaved order [4Hp] (zero for padding units). */
export function packGateBias(bias: ArrayLike<number>, hidden: number, out: Float32Array): void {
  const columns = gateColumns(hidden);
  for (let n = 0; n < columns; n++) {
    const row = gateRowOf(n, hidden);
    out[n] = row < 0 ? 0 : bias[row];
  }
}

/**
 * W [4H, C] as the B operand of dz·W over its C columns (dz: gate-interleaved rows): panel v is
 * 4Hp rows of 16 floats, row k holding W[gateRowOf(k)][16v + j] (zero past C). W_hh so gives
 * W_hhᵀ dz for the backward recurrence, W_ih the input gradient.
 */
export function packColumnPanels(weight: ArrayLike<number>, hidden: number, columnsOfW: number, out: Float32Array): void {
  const rows = gateColumns(hidden);
  const panels = Math.ceil(columnsOfW / 16);
  for (let v = 0; v < panels; v++) {
    for (let k = 0; k < rows; k++) {
      const row = gateRowOf(k, hidden);
      for (let j = 0; j < 16; j++) {
        const c = 16 * v + j;
        out[(v * rows + k) * 16 + j] = row < 0 || c >= columnsOfW ? 0 : weight[row * columnsOfW + c];
      }
    }
  }
}

/** Floats packColumnPanels writes. */
export function columnPanelsLength(hidden: number, columnsOfW: number): number {
  return Math.ceil(columnsOfW / 16) * gateColumns(hidden) * 16;
}

/**
 * W_hr [P, H] as the B operand of m·W_hrᵀ (h = W_hr m, PyTorch's proj_size): panel v is H rows of
 * 16 floats, row u holding W_hr[16v + j][u] (zero past P).
 */
export function packProjection(weight: ArrayLike<number>, projection: number, hidden: number, out: Float32Array): void {
  const panels = Math.ceil(projection / 16);
  for (let v = 0; v < panels; v++) {
    for (let u = 0; u < hidden; u++) {
      for (let j = 0; j < 16; j++) {
        const p = 16 * v + j;
        out[(v * hidden + u) * 16 + j] = p < projection ? weight[p * hidden + u] : 0;
      }
    }
  }
}

/**
 * The inverse of the weight-gradient GEMM's layout: rows [first, first + K) of C [·, 4Hp] (the
 * gradient's transpose over gate-interleaved columns) back to PyTorch's [4H, K].
 */
export function unpackGateColumns(c: ArrayLike<number>, columns: number, first: number, inner: number, hidden: number, out: Float64Array): void {
  for (let n = 0; n < columns; n++) {
    const row = gateRowOf(n, hidden);
    if (row < 0) continue;
    for (let k = 0; k < inner; k++) out[row * inner + k] = c[(first + k) * columns + n];
  }
}
