import { describe, expect, it } from 'vitest';
import { toFloat16Bits } from '../../src/gpu/half.js';
import { halfWeightSource, cellKernel } from '../../src/gpu/kernels/cell-bindings.js';
import { lstmStepSplitKernel } from '../../src/gpu/kernels/lstm-step-split.js';
import { kShaderSources } from '../../src/gpu/shaders.js';
import { kPlainVariants } from '../../src/gpu/variants.js';

describe('float16 weight storage', () => {
  it('rounds float32 to binary16 as NumPy does (round to nearest even, overflow to Infinity, subnormals)', () => {
    // Expected bits: numpy.array(values, dtype=float32).astype(float16).view(uint16), NumPy 1.x.
    const values = [1, -2, 1 / 3, 65504, 65520, 65519, 2 ** -24, 2 ** -25, 3 * 2 ** -25, 1e-8, 0.1, Infinity, -0, 6.1e-5, 1.0009765625, 1.00048828125, 1.00146484375];
    const expected = [0x3c00, 0xc000, 0x3555, 0x7bff, 0x7c00, 0x7bff, 0x1, 0x0, 0x2, 0x0, 0x2e66, 0x7c00, 0x8000, 0x3ff, 0x3c01, 0x3c00, 0x3c02];
    expect([...toFloat16Bits(Float32Array.from(values))]).toEqual(expected);
    expect(toFloat16Bits(Float32Array.from([NaN]))[0] & 0x7c00).toBe(0x7c00);
  });

  it('reads W_hh as vec4<f16> and converts every read to f32, in every recurrence kernel', () => {
    for (const source of [kShaderSources.lstmStep, kShaderSources.lstmSequence, kShaderSources.lstmStepSplit, kShaderSources.lstmStepSubgroup]) {
      const half = halfWeightSource(source);
      expect(half).toContain('var<storage, read> w_hh: array<vec4<f16>>;');
      expect(half).not.toMatch(/[^(]w_hh\[/);
      expect(half.match(/vec4<f32>\(w_hh\[/g)?.length).toBe(source.match(/w_hh\[/g)?.length);
    }
    const spec = lstmStepSplitKernel({ reduction: 'subgroup', maxSubgroupSize: 32 }, false, { ...kPlainVariants, halfWeights: true });
    expect(spec.name).toBe('lstm_step_subgroup_f16');
    expect(spec.source.startsWith('enable subgroups;\nenable f16;\n')).toBe(true);
    expect(cellKernel('k', kShaderSources.lstmStep, [], kPlainVariants).source).not.toContain('f16');
  });
});
