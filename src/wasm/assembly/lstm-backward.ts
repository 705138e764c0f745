import * as layout from './layout';
import { lengthOf, timeOf } from './sequences';
import { tanh4 } from './activations';
import { at, keep, laneMask, storeLanes } from './simd';
import { barrier, partsOf, scratchOf, shareBegin, shareEnd, takeWork } from './threads';
import { tile1x16, tile2x16 } from './tile';

// Backpropagation through time for one layer and direction (docs/training.md), the reverse-time
// recurrence with the cell's backward fused into the product:
//
//   δh_t = dy_t + W_hhᵀ dz_{t+1}  (+ ∂L/∂h_n at the last step)     tc = tanh(c_t)
//   δc_t = δh_t ⊙ o ⊙ (1 − tc²) + δc_{t+1} ⊙ f_{t+1}  (∂L/∂c_n at the last step)
//   dz_t = [δc ⊙ g ⊙ i(1 − i),  δc ⊙ c_{t−1} ⊙ f(1 − f),  δc ⊙ i ⊙ (1 − g²),  δh ⊙ tc ⊙ o(1 − o)]
//
// Each register tile is two batch rows × 16 units of W_hhᵀ dz_{t+1}; the epilogue turns them into
// those units' dz_t (all four gates) and δc_t ⊙ f_t, the carry. After the first step, one more
// product gives ∂L/∂h_0 = W_hhᵀ dz_0, and the carry is ∂L/∂c_0. The weight gradients are GEMMs over
// all of dz afterwards (gemm.ts), as cuDNN's backward-weights.
//
// Steps run in reverse, s = steps − 1 … 0, with the forward's mapping of packed sequences: row b
// takes part while s < lengths[b], at time t = s (or lengths[b] − 1 − s in the reverse direction);
// its final-state gradient enters at s = lengths[b] − 1. dz rows are at the input time t (beside
// the x and h_{t−1} rows the weight gradients pair them with); the saved gates and dy at the output
// position (the same t: training runs no go_backwards).
//
// W_hh packed for this product: panel v (units 16v … 16v + 15 of h) is 4Hp rows of 16 floats at
// w + v·4Hp·64, row k (a gate-interleaved column of dz) holding W_hh[gate row of k][16v + lane].

export function lstmBackward(
  T: i32, B: i32, H: i32,
  w: usize, lengths: usize, flags: i32, trace: usize,
  dy: usize, dyStride: i32, dyOffset: i32, dhN: usize, dcN: usize,
  dz: usize, dzStride: i32, carry: usize, dh0: usize, dc0: usize, zeros: usize, ctx: usize,
): void {
  const columns = ((H + 3) >> 2) << 4; // 4Hp: the gate-interleaved width of a dz row
  const panels = (H + 15) >> 4;
  const splitUnits = (flags & layout.FLAG_SPLIT_UNITS) != 0;
  const reverse = (flags & layout.FLAG_REVERSE) != 0;
  const vBegin = splitUnits ? shareBegin(panels, ctx) : 0;
  const vEnd = splitUnits ? shareEnd(panels, ctx) : panels;
  // Rows go out in blocks from the work queue, as in the forward (lstm-forward.ts says why).
  const blockRows = splitUnits || partsOf(ctx) <= 1 ? B : max(4, (B / (partsOf(ctx) * 8)) & ~1);
  const blocks = (B + blockRows - 1) / blockRows;
  const scratch = scratchOf(ctx);
  for (let block = splitUnits ? 0 : takeWork(ctx, -1); block < blocks; block = splitUnits ? blocks : takeWork(ctx, block)) {
    const rBegin = block * blockRows;
    const rEnd = min(B, rBegin + blockRows);
    backwardRows(T, B, H, rBegin, rEnd, vBegin, vEnd, splitUnits, reverse, columns, w, lengths, trace, dy, dyStride, dyOffset, dhN, dcN, dz, dzStride, carry, dh0, dc0, zeros, scratch, ctx);
  }
}

/** Rows rBegin … rEnd − 1 (every row when the threads share units vBegin … vEnd − 1 instead) through every step. */
@inline
function backwardRows(
  T: i32, B: i32, H: i32, rBegin: i32, rEnd: i32, vBegin: i32, vEnd: i32, splitUnits: bool, reverse: bool, columns: i32,
  w: usize, lengths: usize, trace: usize, dy: usize, dyStride: i32, dyOffset: i32, dhN: usize, dcN: usize,
  dz: usize, dzStride: i32, carry: usize, dh0: usize, dc0: usize, zeros: usize, scratch: usize, ctx: usize,
): void {
  let steps = 0;
  for (let b = rBegin; b < rEnd; b++) steps = max(steps, lengthOf(lengths, b, T));

  for (let s = steps - 1; s >= -1; s--) {
    for (let b = rBegin; b < rEnd; b += 2) {
      const pair = b + 1 < rEnd;
      const length0 = lengthOf(lengths, b, T);
      const length1 = pair ? lengthOf(lengths, b + 1, T) : 0;
      // A row takes part at its active steps and, once, at s = −1 for ∂L/∂h_0.
      const takes0 = s < length0 && length0 > 0;
      const takes1 = pair && s < length1 && length1 > 0;
      if (!takes0 && !takes1) continue;
      const next0 = s + 1 < length0 ? at(dz, (timeOf(s + 1, length0, reverse) * B + b) * dzStride) : zeros;
      const next1 = s + 1 < length1 ? at(dz, (timeOf(s + 1, length1, reverse) * B + b + 1) * dzStride) : zeros;
      for (let v = vBegin; v < vEnd; v++) {
        const panel = w + <usize>v * (<usize>columns << 6);
        if (pair) tile2x16(next0, next1, panel, 64, columns, scratch);
        else tile1x16(next0, panel, 64, columns, scratch);
        for (let row = 0, rows = pair ? 2 : 1; row < rows; row++) {
          if (!(row == 0 ? takes0 : takes1)) continue;
          const r = b + row;
          const length = row == 0 ? length0 : length1;
          const acc = scratch + (<usize>row << 6);
          for (let j = 0; j < 4; j++) {
            const u = (v << 4) + (j << 2);
            if (u >= H) break;
            if (s >= 0) cellBackwardQuad(B, H, r, s, length, timeOf(s, length, reverse), u, acc + (<usize>j << 4), trace, dy, dyStride, dyOffset, dhN, dcN, dz, dzStride, carry);
            else {
              storeLanes(at(dh0, r * H + u), v128.load(acc + (<usize>j << 4)), H - u);
              storeLanes(at(dc0, r * H + u), v128.load(at(carry, r * H + u)), H - u);
            }
          }
        }
      }
    }
    if (splitUnits) barrier(ctx);
  }

  // A sequence of length 0 (ONNX) passes its initial state through untouched: ∂L/∂(h_0, c_0) = ∂L/∂(h_n, c_n).
  for (let b = rBegin; b < rEnd; b++) {
    if (lengthOf(lengths, b, T) > 0) continue;
    const begin = splitUnits ? vBegin << 4 : 0;
    const n = (splitUnits ? min(vEnd << 4, H) : H) - begin;
    if (n <= 0) continue;
    if (dhN) memory.copy(at(dh0, b * H + begin), at(dhN, b * H + begin), <usize>n << 2);
    else memory.fill(at(dh0, b * H + begin), 0, <usize>n << 2);
    if (dcN) memory.copy(at(dc0, b * H + begin), at(dcN, b * H + begin), <usize>n << 2);
    else memory.fill(at(dc0, b * H + begin), 0, <usize>n << 2);
  }
}

/** dz_t and the carry of one row and four units u … u + 3, from rec = W_hhᵀ dz_{t+1} (4 floats). */
@inline
function cellBackwardQuad(
  B: i32, H: i32, b: i32, s: i32, length: i32, t: i32, u: i32, rec: usize,
  trace: usize, dy: usize, dyStride: i32, dyOffset: i32, dhN: usize, dcN: usize, dz: usize, dzStride: i32, carry: usize,
): void {
  const lanes = H - u;
  const first = s == length - 1;
  let dh = v128.load(rec);
  if (dy) dh = f32x4.add(dh, v128.load(at(dy, (t * B + b) * dyStride + dyOffset + u)));
  if (first && dhN) dh = f32x4.add(dh, v128.load(at(dhN, b * H + u)));
  const carryPtr = at(carry, b * H + u);
  const dcIn = first ? (dcN ? v128.load(at(dcN, b * H + u)) : f32x4.splat(0)) : v128.load(carryPtr);
  const row = (t * B + b) * H + u;
  const i = v128.load(at(<usize>load<u32>(trace, layout.TRACE_I), row));
  const f = v128.load(at(<usize>load<u32>(trace, layout.TRACE_F), row));
  const g = v128.load(at(<usize>load<u32>(trace, layout.TRACE_G), row));
  const o = v128.load(at(<usize>load<u32>(trace, layout.TRACE_O), row));
  const c = v128.load(at(<usize>load<u32>(trace, layout.TRACE_C), row));
  const cPrev = v128.load(at(<usize>load<u32>(trace, layout.TRACE_C_PREV), row));
  const one = f32x4.splat(1);
  const tc = tanh4(c);
  const dc = f32x4.add(f32x4.mul(f32x4.mul(dh, o), f32x4.sub(one, f32x4.mul(tc, tc))), dcIn);
  const mask = laneMask(lanes);
  const dzRow = at(dz, (t * B + b) * dzStride + u * 4);
  v128.store(dzRow, keep(f32x4.mul(f32x4.mul(dc, g), f32x4.mul(i, f32x4.sub(one, i))), mask));
  v128.store(dzRow, keep(f32x4.mul(f32x4.mul(dc, cPrev), f32x4.mul(f, f32x4.sub(one, f))), mask), 16);
  v128.store(dzRow, keep(f32x4.mul(f32x4.mul(dc, i), f32x4.sub(one, f32x4.mul(g, g))), mask), 32);
  v128.store(dzRow, keep(f32x4.mul(f32x4.mul(dh, tc), f32x4.mul(o, f32x4.sub(one, o))), mask), 48);
  storeLanes(carryPtr, f32x4.mul(dc, f), lanes);
}
