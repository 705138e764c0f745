// The engine's exports: the kernels the host's plans call (src/wasm/plan/), the barrier, and the
// probe the benchmark's roofline runs. Every kernel takes its thread's context block last
// (threads.ts).

export { gemm } from './gemm';
export { lstmForward } from './lstm-forward';
export { lstmBackward } from './lstm-backward';
export { transpose, fill } from './reshape';
export { barrier } from './threads';
export { fmaProbe } from './probe';
