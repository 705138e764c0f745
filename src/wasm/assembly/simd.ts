// Small SIMD helpers every kernel family shares. One build of the engine has relaxed SIMD's fused
// multiply-add (f32x4.relaxed_madd), the other plain SIMD's mul + add; `ASC_FEATURE_RELAXED_SIMD`
// is the compiler's constant for which build this is, so the branch costs nothing at run time.

/** a·b + c, lane by lane: fused where the build has relaxed SIMD, else a rounded product then a sum. */
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** The byte address of float number `index` after `base`. */
@inline
export function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/** Stores the first `lanes` lanes of v at ptr (all four when lanes ≥ 4): rows never spill into their neighbours. */
@inline
export function storeLanes(ptr: usize, v: v128, lanes: i32): void {
  if (lanes >= 4) {
    v128.store(ptr, v);
    return;
  }
  store<f32>(ptr, f32x4.extract_lane(v, 0));
  if (lanes > 1) store<f32>(ptr, f32x4.extract_lane(v, 1), 4);
  if (lanes > 2) store<f32>(ptr, f32x4.extract_lane(v, 2), 8);
}

/** A mask whose first `lanes` lanes are all ones (lanes clamped to 0..4). */
@inline
export function laneMask(lanes: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(lanes));
}

/** v where the mask is set, 0 elsewhere. */
@inline
export function keep(v: v128, mask: v128): v128 {
  return v128.and(v, mask);
}
