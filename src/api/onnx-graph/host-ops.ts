import type { HostOp } from './op-context.js';
import { kElementwiseOps } from './ops-elementwise.js';
import { kMathOps } from './ops-math.js';
import { kShapeOps } from './ops-shape.js';

/** Every op the host interpreter runs (float64), besides LSTM (the backend), Constant (folded at load) and If (subgraphs). */
export const kHostOps: Readonly<Record<string, HostOp>> = { ...kElementwiseOps, ...kShapeOps, ...kMathOps };
export const kSupportedOps = ['LSTM', 'Constant', 'If', ...Object.keys(kHostOps)].sort();
