// The WGSL sources, inlined into the bundle at build time (so the built package never needs the
// source tree). Nothing else lives here.
import activations from '../../shaders/activations.wgsl?raw';
import inputProjection from '../../shaders/input_projection.wgsl?raw';
import lstmStep from '../../shaders/lstm_step.wgsl?raw';

export const kShaderSources = { activations, inputProjection, lstmStep } as const;
