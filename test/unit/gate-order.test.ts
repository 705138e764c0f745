import { describe, expect, it } from 'vitest';
import { LstmError } from '../../src/core/errors.js';
import { kGateOrders, permuteGateBlocks } from '../../src/formats/gate-order.js';

// Expectations written by hand from each framework's documented gate order: PyTorch i, f, g, o;
// Keras i, f, c, o; ONNX i, o, f, c. Blocks are tagged 1.x = i, 2.x = f, 3.x = g (candidate), 4.x = o.
const torchWeight = Float64Array.of(1.1, 1.2, 2.1, 2.2, 3.1, 3.2, 4.1, 4.2); // [4H, 1] with H = 2

describe('gate orders', () => {
  it('names each framework’s order', () => {
    expect(kGateOrders.pytorch).toEqual(['input', 'forget', 'candidate', 'output']);
    expect(kGateOrders.keras).toEqual(['input', 'forget', 'candidate', 'output']);
    expect(kGateOrders.onnx).toEqual(['input', 'output', 'forget', 'candidate']);
  });

  it('PyTorch → ONNX puts the blocks in the order i, o, f, g', () => {
    expect(Array.from(permuteGateBlocks(torchWeight, 'pytorch', 'onnx'))).toEqual([1.1, 1.2, 4.1, 4.2, 2.1, 2.2, 3.1, 3.2]);
  });

  it('ONNX → PyTorch undoes it', () => {
    const onnx = Float64Array.of(1.1, 1.2, 4.1, 4.2, 2.1, 2.2, 3.1, 3.2);
    expect(Array.from(permuteGateBlocks(onnx, 'onnx', 'pytorch'))).toEqual(Array.from(torchWeight));
  });

  it('PyTorch → Keras changes nothing (the same order under other letters), in a new array', () => {
    const keras = permuteGateBlocks(torchWeight, 'pytorch', 'keras');
    expect(Array.from(keras)).toEqual(Array.from(torchWeight));
    expect(keras).not.toBe(torchWeight);
  });

  it('moves whole [H, cols] blocks of a matrix and keeps the array type', () => {
    // [4H, cols] = [4, 2] with H = 1: one row per gate.
    const w = Float32Array.of(1, 10, 2, 20, 3, 30, 4, 40);
    const onnx = permuteGateBlocks(w, 'pytorch', 'onnx');
    expect(onnx).toBeInstanceOf(Float32Array);
    expect(Array.from(onnx)).toEqual([1, 10, 4, 40, 2, 20, 3, 30]);
  });

  it('refuses an unknown order and a length that is not four blocks', () => {
    expect(() => permuteGateBlocks(torchWeight, 'tensorflow' as never, 'onnx')).toThrow(LstmError);
    expect(() => permuteGateBlocks(torchWeight, 'tensorflow' as never, 'onnx')).toThrow('from: expected one of pytorch, keras, onnx, got "tensorflow"');
    expect(() => permuteGateBlocks(new Float64Array(6), 'pytorch', 'onnx')).toThrow('data: expected four gate blocks (a length divisible by 4), got 6 values');
  });
});
