import { LSTM } from 'webgpu-lstm';
const m: LSTM = LSTM.random({ inputSize: 1, hiddenSize: 2 });
const n: number = m;
