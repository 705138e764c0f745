import { activate, sigmoid4, tanh4 } from './activations';
import * as layout from './layout';
import { lengthOf, timeOf } from './sequences';
import { at, storeLanes } from './simd';
import { barrier, partsOf, scratchOf, shareBegin, shareEnd, takeWork } from './threads';
import { tile1x16, tile1x32, tile2x16 } from './tile';

// The recurrence of one layer and direction over every step, with the cell fused into the product:
//
//   z = G[t, b] + (h_{t−1} · W_hhᵀ + b_hh)             G = x·W_ihᵀ + b_ih, from gemm() beforehand
//   i = σ(z_i)   f = σ(z_f)   g = tanh(z_g)   o = σ(z_o)
//   c_t = f ⊙ c_{t−1} + i ⊙ g                          h_t = o ⊙ tanh(c_t)
//
// (and the variant cells of src/model/variants.ts: ONNX's activations, clip, input_forget,
// peepholes, and h_t = W_hr (o ⊙ h(c_t)) with a projection). Each register tile is two batch rows
// × one quad of units (all four gates), so the gates, c_t and h_t come straight from the
// accumulators: no pre-activation ever goes back to memory.
//
// Packed sequences as PyTorch's: at step s, row b is active while s < lengths[b], and reads time
// t = s, or t = lengths[b] − 1 − s in the reverse direction; an inactive row keeps its state and
// writes nothing (the host zeroes the outputs first). With go_backwards (Keras) the output of time t
// goes to position T − 1 − t.
//
// Threads share each step's units (FLAG_SPLIT_UNITS: a barrier after every step, since every unit
// reads all of h_{t−1}) or the batch rows (no barrier at all: rows never meet). Rows go out in
// blocks, first come, first served (takeWork), each block run through every step by the thread
// that took it: a thread the system deschedules then runs fewer blocks instead of holding the call
// up. A block is at least 4 rows (two register tiles: each step reads all of W_hh once per block,
// from L2) and about half a thread's share: every block reads all of W_hh each step (1 MiB at
// H = 256, more than L2 holds beside the rest), so fewer, larger blocks read it fewer times; on 2
// threads, halves against eighths ran (64, 100, 128, 256) in 80.7–82.5 against 80.8–92.2 ms and
// (256, 50, 128, 256) in 157–160 against 167–172 ms (medians, alternating runs, Node, 2026-12-08).
//
// W_hh packed: quad q's panel is R rows of 16 floats at w + q·R·64, row k holding
// W_hh[gate·H + 4q + lane][k] at gate·4 + lane. `state` is scratch: h [2][B][R] (ping-pong) and
// c [B][H]. `out` rows are outStride floats apart, this direction's h at outOffset.

export function lstmForward(
  T: i32, B: i32, H: i32, R: i32,
  g: usize, w: usize, bhh: usize, lengths: usize, flags: i32,
  h0: usize, c0: usize, state: usize,
  out: usize, outStride: i32, outOffset: i32,
  hN: usize, cN: usize, trace: usize, cell: usize, ctx: usize,
): void {
  const quads = (H + 3) >> 2;
  const splitUnits = (flags & layout.FLAG_SPLIT_UNITS) != 0;
  const reverse = (flags & layout.FLAG_REVERSE) != 0;
  const goBackwards = (flags & layout.FLAG_GO_BACKWARDS) != 0;
  const qBegin = splitUnits ? shareBegin(quads, ctx) : 0;
  const qEnd = splitUnits ? shareEnd(quads, ctx) : quads;
  const blockRows = splitUnits || partsOf(ctx) <= 1 ? B : max(4, (B / (partsOf(ctx) * 2)) & ~1);
  const blocks = (B + blockRows - 1) / blockRows;
  // This thread's columns of h and c: its units when it shares units (then R = H), else whole rows.
  const cBegin = splitUnits ? qBegin << 2 : 0;
  const cEnd = splitUnits ? min(qEnd << 2, H) : H;
  const hBegin = splitUnits ? cBegin : 0;
  const hEnd = splitUnits ? cEnd : R;
  const rowBytes = <usize>R << 2;
  const cState = state + <usize>(2 * B) * rowBytes;
  const scratch = scratchOf(ctx);
  const hPrevTrace = trace ? <usize>load<u32>(trace, layout.TRACE_H_PREV) : 0;
  const cPrevTrace = trace ? <usize>load<u32>(trace, layout.TRACE_C_PREV) : 0;
  const projection = cell ? <usize>load<u32>(cell, layout.CELL_PROJECTION) : 0;
  const hColumns = <usize>(hEnd - hBegin) << 2;

  // Sharing units, the one block is every row; sharing rows, each thread runs the blocks it takes.
  for (let block = splitUnits ? 0 : takeWork(ctx, -1); block < blocks; block = splitUnits ? blocks : takeWork(ctx, block)) {
    const rBegin = block * blockRows;
    const rEnd = min(B, rBegin + blockRows);
    let hCur = state;
    let hNext = state + <usize>B * rowBytes;
    let steps = 0;
    for (let b = rBegin; b < rEnd; b++) {
      copyOrZero(at(hCur, b * R + hBegin), h0 ? at(h0, b * R + hBegin) : 0, hEnd - hBegin);
      copyOrZero(at(cState, b * H + cBegin), c0 ? at(c0, b * H + cBegin) : 0, cEnd - cBegin);
      steps = max(steps, lengthOf(lengths, b, T));
    }
    if (splitUnits) barrier(ctx);

    for (let s = 0; s < steps; s++) {
      // The rows' bookkeeping: an active row records the state it reads (training), an inactive one
      // carries its h into the next step's buffer.
      for (let b = rBegin; b < rEnd; b++) {
        const length = lengthOf(lengths, b, T);
        const from = at(hCur, b * R + hBegin);
        if (s >= length) memory.copy(at(hNext, b * R + hBegin), from, hColumns);
        else if (hPrevTrace) memory.copy(at(hPrevTrace, (timeOf(s, length, reverse) * B + b) * R + hBegin), from, hColumns);
      }
      // Quads outside, rows inside: a quad's panel of W_hh (R × 64 bytes) stays in L1 while every
      // row pair passes over it, and only the rows of h stream from L2.
      // A single row takes its quads two at a time (tile1x32: eight independent accumulators).
      const singleLength = rEnd - rBegin == 1 ? lengthOf(lengths, rBegin, T) : 0;
      const single = s < singleLength;
      const singleTime = timeOf(s, singleLength, reverse);
      const singlePosition = goBackwards ? T - 1 - singleTime : singleTime;
      for (let q = qBegin; q < qEnd; q++) {
        const panel = w + <usize>q * rowBytes * 16;
        if (single && q + 1 < qEnd) {
          tile1x32(hCur + <usize>rBegin * rowBytes, panel, panel + rowBytes * 16, 64, R, scratch);
          cellQuad(H, R, B, rBegin, singleTime, singlePosition, q, scratch, g, bhh, cState, hNext, out, outStride, outOffset, trace, cPrevTrace, cell);
          cellQuad(H, R, B, rBegin, singleTime, singlePosition, q + 1, scratch + 64, g, bhh, cState, hNext, out, outStride, outOffset, trace, cPrevTrace, cell);
          q++;
          continue;
        }
        for (let b = rBegin; b < rEnd; b += 2) {
          const pair = b + 1 < rEnd;
          const length0 = lengthOf(lengths, b, T);
          const length1 = pair ? lengthOf(lengths, b + 1, T) : 0;
          const active0 = s < length0;
          const active1 = pair && s < length1;
          if (!active0 && !active1) continue;
          const a0 = hCur + <usize>b * rowBytes;
          if (pair) tile2x16(a0, a0 + rowBytes, panel, 64, R, scratch);
          else tile1x16(a0, panel, 64, R, scratch);
          const t0 = timeOf(s, length0, reverse);
          const t1 = timeOf(s, length1, reverse);
          if (active0) cellQuad(H, R, B, b, t0, goBackwards ? T - 1 - t0 : t0, q, scratch, g, bhh, cState, hNext, out, outStride, outOffset, trace, cPrevTrace, cell);
          if (active1) cellQuad(H, R, B, b + 1, t1, goBackwards ? T - 1 - t1 : t1, q, scratch + 64, g, bhh, cState, hNext, out, outStride, outOffset, trace, cPrevTrace, cell);
        }
      }
      if (projection) {
        for (let b = rBegin; b < rEnd; b += 2) {
          const pair = b + 1 < rEnd;
          const length0 = lengthOf(lengths, b, T);
          const length1 = pair ? lengthOf(lengths, b + 1, T) : 0;
          const t0 = timeOf(s, length0, reverse);
          const t1 = timeOf(s, length1, reverse);
          if (s < length0 || s < length1) project(H, R, B, b, pair, s < length0, s < length1, goBackwards ? T - 1 - t0 : t0, goBackwards ? T - 1 - t1 : t1, cell, scratch, hNext, out, outStride, outOffset, trace);
        }
      }
      if (splitUnits) barrier(ctx);
      const swap = hCur;
      hCur = hNext;
      hNext = swap;
    }

    for (let b = rBegin; b < rEnd; b++) {
      const ran = lengthOf(lengths, b, T) > 0; // a length of 0 (ONNX) leaves zero states, as onnxruntime
      copyOrZero(at(hN, b * R + hBegin), ran ? at(hCur, b * R + hBegin) : 0, hEnd - hBegin);
      copyOrZero(at(cN, b * H + cBegin), ran ? at(cState, b * H + cBegin) : 0, cEnd - cBegin);
    }
  }
}

/** n floats from src to dst, or zeros where src is 0. */
@inline
function copyOrZero(dst: usize, src: usize, n: i32): void {
  if (n <= 0) return;
  if (src) memory.copy(dst, src, <usize>n << 2);
  else memory.fill(dst, 0, <usize>n << 2);
}

/**
 * The cell of one row and one quad of units, from the tile's accumulators (acc: 16 floats, gates
 * i, f, g, o of the four units): updates c, writes h (or, with a projection, o ⊙ h(c') for
 * project()), the output and the trace.
 */
@inline
function cellQuad(
  H: i32, R: i32, B: i32, b: i32, t: i32, position: i32, q: i32, acc: usize,
  g: usize, bhh: usize, cState: usize, hNext: usize, out: usize, outStride: i32, outOffset: i32,
  trace: usize, cPrevTrace: usize, cell: usize,
): void {
  const u = q << 2;
  const lanes = H - u;
  const zRow = g + ((<usize>(t * B + b) * <usize>(((H + 3) >> 2) << 4) + (<usize>q << 4)) << 2);
  let zi = f32x4.add(v128.load(zRow), bhh ? f32x4.add(v128.load(acc), v128.load(bhh + (<usize>q << 6))) : v128.load(acc));
  let zf = f32x4.add(v128.load(zRow, 16), bhh ? f32x4.add(v128.load(acc, 16), v128.load(bhh + (<usize>q << 6), 16)) : v128.load(acc, 16));
  let zg = f32x4.add(v128.load(zRow, 32), bhh ? f32x4.add(v128.load(acc, 32), v128.load(bhh + (<usize>q << 6), 32)) : v128.load(acc, 32));
  let zo = f32x4.add(v128.load(zRow, 48), bhh ? f32x4.add(v128.load(acc, 48), v128.load(bhh + (<usize>q << 6), 48)) : v128.load(acc, 48));
  const cPtr = at(cState, b * H + u);
  const cOld = v128.load(cPtr);
  let i: v128, f: v128, gg: v128, o: v128, cNew: v128, hNew: v128;
  if (!cell) {
    i = sigmoid4(zi);
    f = sigmoid4(zf);
    gg = tanh4(zg);
    o = sigmoid4(zo);
    cNew = f32x4.add(f32x4.mul(f, cOld), f32x4.mul(i, gg));
    hNew = f32x4.mul(o, tanh4(cNew));
  } else {
    // The variant cell, lane by lane (rare models: clarity over speed). Results go through scratch.
    const lanesOut = acc; // the accumulators are consumed: reuse their 16 floats for i, f, g, o
    v128.store(lanesOut, zi);
    v128.store(lanesOut, zf, 16);
    v128.store(lanesOut, zg, 32);
    v128.store(lanesOut, zo, 48);
    const m = acc + 64 * 2; // past both rows' accumulators: 8 floats for c' and o ⊙ h(c')
    for (let lane = 0; lane < min(lanes, 4); lane++) {
      const offset = <usize>lane << 2;
      variantLane(cell, H, u + lane, lanesOut + offset, load<f32>(cPtr + offset), m + offset);
    }
    i = v128.load(lanesOut);
    f = v128.load(lanesOut, 16);
    gg = v128.load(lanesOut, 32);
    o = v128.load(lanesOut, 48);
    cNew = v128.load(m);
    hNew = v128.load(m, 16);
  }
  storeLanes(cPtr, cNew, lanes);
  if (cPrevTrace) storeLanes(at(cPrevTrace, (t * B + b) * H + u), cOld, lanes);
  const projection = cell ? <usize>load<u32>(cell, layout.CELL_PROJECTION) : 0;
  if (projection) {
    storeLanes(at(<usize>load<u32>(cell, layout.CELL_PROJECTION_SCRATCH), b * H + u), hNew, lanes);
  } else {
    storeLanes(at(hNext, b * R + u), hNew, lanes);
    storeLanes(at(out, (position * B + b) * outStride + outOffset + u), hNew, lanes);
    if (trace) {
      const h = <usize>load<u32>(trace, layout.TRACE_H);
      if (h) storeLanes(at(h, (position * B + b) * R + u), hNew, lanes);
    }
  }
  if (trace) {
    const row = (position * B + b) * H + u;
    const ti = <usize>load<u32>(trace, layout.TRACE_I);
    if (ti) storeLanes(at(ti, row), i, lanes);
    const tf = <usize>load<u32>(trace, layout.TRACE_F);
    if (tf) storeLanes(at(tf, row), f, lanes);
    const tg = <usize>load<u32>(trace, layout.TRACE_G);
    if (tg) storeLanes(at(tg, row), gg, lanes);
    const to = <usize>load<u32>(trace, layout.TRACE_O);
    if (to) storeLanes(at(to, row), o, lanes);
    const tc = <usize>load<u32>(trace, layout.TRACE_C);
    if (tc) storeLanes(at(tc, row), cNew, lanes);
  }
}

/**
 * One unit of a variant cell (ONNX's equations; src/model/variants.ts): z holds z_i, z_f, z_g, z_o
 * four floats apart and gets i, f, g, o back; m gets c' and, four floats on, o ⊙ h(c').
 */
function variantLane(cell: usize, H: i32, unit: i32, z: usize, c: f32, m: usize): void {
  const clip = load<f32>(cell, layout.CELL_CLIP);
  const peephole = <usize>load<u32>(cell, layout.CELL_PEEPHOLE);
  const gateKind = load<i32>(cell, layout.CELL_GATE_KIND);
  const gateAlpha = load<f32>(cell, layout.CELL_GATE_ALPHA);
  const gateBeta = load<f32>(cell, layout.CELL_GATE_BETA);
  let zi = load<f32>(z);
  let zf = load<f32>(z, 16);
  let zg = load<f32>(z, 32);
  let zo = load<f32>(z, 48);
  if (peephole) {
    zi += load<f32>(at(peephole, unit)) * c; // blocks i, o, f
    zf += load<f32>(at(peephole, 2 * H + unit)) * c;
  }
  const i = activate(gateKind, gateAlpha, gateBeta, clipped(zi, clip));
  const f: f32 = load<i32>(cell, layout.CELL_INPUT_FORGET) ? <f32>1 - i : activate(gateKind, gateAlpha, gateBeta, clipped(zf, clip));
  const gg = activate(load<i32>(cell, layout.CELL_CANDIDATE_KIND), load<f32>(cell, layout.CELL_CANDIDATE_ALPHA), load<f32>(cell, layout.CELL_CANDIDATE_BETA), clipped(zg, clip));
  const cNew = f * c + i * gg;
  if (peephole) zo += load<f32>(at(peephole, H + unit)) * cNew; // the output gate's peephole reads c'
  const o = activate(gateKind, gateAlpha, gateBeta, clipped(zo, clip));
  store<f32>(z, i);
  store<f32>(z, f, 16);
  store<f32>(z, gg, 32);
  store<f32>(z, o, 48);
  store<f32>(m, cNew);
  store<f32>(m, o * activate(load<i32>(cell, layout.CELL_OUTPUT_KIND), load<f32>(cell, layout.CELL_OUTPUT_ALPHA), load<f32>(cell, layout.CELL_OUTPUT_BETA), cNew), 16);
}

@inline
function clipped(x: f32, bound: f32): f32 {
  return bound > 0 ? Mathf.min(Mathf.max(x, -bound), bound) : x;
}

/**
 * h = W_hr · m for one row (or a pair) once every quad of the step is done (PyTorch's proj_size):
 * m = o ⊙ h(c') [B, H] from cellQuad; W_hr packed as panels of 16 of the R outputs, H rows each.
 * Writes h to the next state, the output and the trace for the active rows.
 */
function project(
  H: i32, R: i32, B: i32, b: i32, pair: bool, active0: bool, active1: bool, position0: i32, position1: i32,
  cell: usize, scratch: usize, hNext: usize, out: usize, outStride: i32, outOffset: i32, trace: usize,
): void {
  const weights = <usize>load<u32>(cell, layout.CELL_PROJECTION);
  const m0 = at(<usize>load<u32>(cell, layout.CELL_PROJECTION_SCRATCH), b * H);
  const traceH = trace ? <usize>load<u32>(trace, layout.TRACE_H) : 0;
  for (let panel = 0; panel < (R + 15) >> 4; panel++) {
    const p = panel << 4;
    const panelPtr = weights + <usize>panel * (<usize>H << 6);
    if (pair) tile2x16(m0, m0 + (<usize>H << 2), panelPtr, 64, H, scratch);
    else tile1x16(m0, panelPtr, 64, H, scratch);
    for (let row = 0, rows = pair ? 2 : 1; row < rows; row++) {
      if (!(row == 0 ? active0 : active1)) continue;
      const r = b + row;
      const position = row == 0 ? position0 : position1;
      for (let v = 0; v < 4 && p + v * 4 < R; v++) {
        const value = v128.load(scratch + (<usize>(row * 16 + v * 4) << 2));
        const lanes = R - p - v * 4;
        storeLanes(at(hNext, r * R + p + v * 4), value, lanes);
        storeLanes(at(out, (position * B + r) * outStride + outOffset + p + v * 4), value, lanes);
        if (traceH) storeLanes(at(traceH, (position * B + r) * R + p + v * 4), value, lanes);
      }
    }
  }
}
