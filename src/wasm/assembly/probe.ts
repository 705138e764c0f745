import { madd } from './simd';

/**
 * The roofline's peak: `n` rounds of 12 independent f32x4 multiply-adds on registers alone (no
 * memory), 96 FLOPs a round counting a multiply-add as two. Returns a value so nothing is elided.
 */
export function fmaProbe(n: i32): f32 {
  const m = f32x4.splat(0.999);
  const s = f32x4.splat(0.001);
  let a0 = f32x4.splat(0.0), a1 = f32x4.splat(0.1), a2 = f32x4.splat(0.2), a3 = f32x4.splat(0.3);
  let a4 = f32x4.splat(0.4), a5 = f32x4.splat(0.5), a6 = f32x4.splat(0.6), a7 = f32x4.splat(0.7);
  let a8 = f32x4.splat(0.8), a9 = f32x4.splat(0.9), a10 = f32x4.splat(1.0), a11 = f32x4.splat(1.1);
  for (let i = 0; i < n; i++) {
    a0 = madd(a0, m, s); a1 = madd(a1, m, s); a2 = madd(a2, m, s); a3 = madd(a3, m, s);
    a4 = madd(a4, m, s); a5 = madd(a5, m, s); a6 = madd(a6, m, s); a7 = madd(a7, m, s);
    a8 = madd(a8, m, s); a9 = madd(a9, m, s); a10 = madd(a10, m, s); a11 = madd(a11, m, s);
  }
  const sum = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(f32x4.add(sum, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11))), 0);
}
