// The blocks of parameters the host writes into linear memory for the LSTM kernels, field by field
// (src/wasm/plan/blocks.ts writes them with the same offsets; test/unit/wasm-layout.test.ts checks
// that both files agree).
//
// Gate-interleaved columns: the 4H gate columns of a layer are kept as Hp/4 quads of units
// (Hp = H rounded up to a multiple of 4), each 16 columns [i(4), f(4), g(4), o(4)], so one register
// tile holds all four gates of four units and the cell update runs on the accumulators.

/** The trace block: where the forward writes each step's gates and states (0: not written). */
export const TRACE_I: usize = 0; // [T, B, H] at the output position
export const TRACE_F: usize = 4;
export const TRACE_G: usize = 8;
export const TRACE_O: usize = 12;
export const TRACE_C: usize = 16;
export const TRACE_H: usize = 20; // [T, B, R]
export const TRACE_H_PREV: usize = 24; // [T, B, R] the state the step read, at the input position (training)
export const TRACE_C_PREV: usize = 28; // [T, B, H] likewise

/** The cell block: a variant cell's settings (0 instead of a block: PyTorch's cell). */
export const CELL_GATE_KIND: usize = 0; // i32, an ACT_* of activations.ts, then f32 α and β
export const CELL_GATE_ALPHA: usize = 4;
export const CELL_GATE_BETA: usize = 8;
export const CELL_CANDIDATE_KIND: usize = 12;
export const CELL_CANDIDATE_ALPHA: usize = 16;
export const CELL_CANDIDATE_BETA: usize = 20;
export const CELL_OUTPUT_KIND: usize = 24;
export const CELL_OUTPUT_ALPHA: usize = 28;
export const CELL_OUTPUT_BETA: usize = 32;
export const CELL_CLIP: usize = 36; // f32, 0 for none
export const CELL_INPUT_FORGET: usize = 40; // i32, 1: f = 1 − i
export const CELL_PEEPHOLE: usize = 44; // u32, P [3H] in blocks i, o, f, or 0
export const CELL_PROJECTION: usize = 48; // u32, W_hr packed (panels of 16 of the P outputs, H rows), or 0
export const CELL_PROJECTION_SCRATCH: usize = 52; // u32, [B, H] for o ⊙ h(c') before the projection

/** Flags of lstmForward and lstmBackward. */
export const FLAG_REVERSE: i32 = 1; // the reverse direction: each sequence from its own last step
export const FLAG_GO_BACKWARDS: i32 = 2; // Keras's go_backwards: outputs written at T − 1 − t
export const FLAG_SPLIT_UNITS: i32 = 4; // threads share the units of every step (else the batch rows)
