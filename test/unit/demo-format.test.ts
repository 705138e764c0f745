import { describe, expect, it } from 'vitest';
import { sharedPrecision, speedupWords } from '../../demo/src/ui/format.js';

// How the demo's cards word their figures (issue 20): a near tie in the race, RMSEs side by side.

describe('the race card', () => {
  it('calls ratios under 5% apart either way "about even", not a win', () => {
    expect(speedupWords(1.02, 'WebGPU', 'wasm (f32)')).toEqual({ value: '1.0×', note: 'about even', winner: 'even' });
    expect(speedupWords(1 / 1.04, 'WebGPU', 'wasm (f32)')).toMatchObject({ note: 'about even', winner: 'even' });
    expect(speedupWords(1.3, 'WebGPU', 'wasm (f32)')).toEqual({ value: '1.3×', note: 'WebGPU is faster', winner: 'first' });
    expect(speedupWords(0.5, 'WebGPU', 'wasm (f32)')).toEqual({ value: '2.0×', note: 'wasm (f32) is faster', winner: 'second' });
  });
});

describe('the RMSE cards', () => {
  it('share one precision: 4 significant digits of the largest', () => {
    expect(sharedPrecision([9876.54, 15206.3, 7525.04, 812.6])).toEqual(['9,877', '15,206', '7,525', '813']);
    expect(sharedPrecision([0.123456, 0.0987654, -0.01])).toEqual(['0.1235', '0.0988', '−0.0100']);
  });
});
