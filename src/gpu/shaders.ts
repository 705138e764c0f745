// The WGSL sources, inlined into the bundle at build time (so the built package never needs the
// source tree). Nothing else lives here.
import activations from '../../shaders/activations.wgsl?raw';
import inputProjection from '../../shaders/input_projection.wgsl?raw';
import lstmCell from '../../shaders/lstm_cell.wgsl?raw';
import lstmSequence from '../../shaders/lstm_sequence.wgsl?raw';
import lstmStep from '../../shaders/lstm_step.wgsl?raw';

export const kShaderSources = { activations, inputProjection, lstmCell, lstmSequence, lstmStep } as const;
