import { at } from './simd';

// Packed sequences as PyTorch's, shared by the forward and backward recurrences: sequence b runs
// lengths[b] steps (all T without lengths), and step s of the reverse direction reads time
// lengths[b] − 1 − s.

@inline
export function lengthOf(lengths: usize, b: i32, T: i32): i32 {
  return lengths ? load<i32>(at(lengths, b)) : T;
}

@inline
export function timeOf(s: i32, length: i32, reverse: bool): i32 {
  return reverse ? length - 1 - s : s;
}
