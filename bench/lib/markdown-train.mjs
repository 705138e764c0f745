// The training bench's protocol, as BENCHMARKS.md states it.

/** @param {{ check_steps: number, warm_up_steps?: number, warm_up_ms?: number, loss_tolerance_relative: number, adam: { lr: number, beta1: number, beta2: number, epsilon: number } }} train @returns {string[]} */
export function trainProtocolLines(train) {
  const { lr, beta1, beta2, epsilon } = train.adam;
  return [
    '## Training protocol',
    '',
    '- The model: an LSTM, then Dense(1) on the last step (seed 003\'s `LSTM(H)` + `Dense(1)`), the same seeded PyTorch-style',
    '  initial weights for every library (converted to Keras\'s layout and gate order, one bias vector b_ih + b_hh), the',
    '  same x [T, B, I] and targets y [B, 1] (seeded, in [-1, 1)). Loss: mean squared error. Optimizer: Adam, lr',
    `  ${lr}, betas ${beta1} and ${beta2}, epsilon ${epsilon} (Keras\'s).`,
    '- webgpu-lstm: `backend.train(model, { loss: \'mse\', optimizer: { kind: \'adam\', eps: 1e-7 }, singleBias: true })` —',
    '  Keras\'s single bias (bias_hh held at zero and not trained) — and one `trainer.fit(x, y, { epochs: 1, batchSize: B,',
    '  shuffle: false })` per step, on WebGPU in the page (`webgpu-lstm/webgpu`), on WebGPU in Node through Dawn',
    '  (`webgpu-lstm/dawn`) and on the float64 CPU backend (`webgpu-lstm/cpu`, the reference).',
    '- TensorFlow.js: `tf.layers.lstm` + `tf.layers.dense`, compiled with `tf.train.adam` and `meanSquaredError`, one',
    '  `model.trainOnBatch(x, y)` of the whole batch per step, on its webgpu, wasm and cpu backends.',
    '- A timed step is the whole call: upload of x and y, forward, loss, backward, Adam update, readback of the loss.',
    `- Before any time counts, every backend takes ${train.check_steps} steps; the losses they return (at the initial weights, then`,
    `  after one, two… Adam steps) must agree with the float64 reference\'s within ${train.loss_tolerance_relative} relative, else the row is a`,
    '  mismatch and not timed. The first of those steps (model built, kernels compiled) is the row\'s *first step*.',
    ...(train.warm_up_steps === undefined ? [] : [ // runs before the warm-up steps existed
    `- Then untimed warm-up steps, for every backend alike, until ${train.warm_up_steps} steps in all while the next one (judged by the`,
    `  last) fits in ${train.warm_up_ms} ms: the host code of every library here is JavaScript, which V8 optimises only after 10–20`,
    '  calls of a small step (webgpu-lstm/wasm at (32,12,1,50) in Node: 2.6–3.0 ms a step after 3 steps, 1.4–1.5 ms after 20;',
    '  tfjs/wasm 41 ms, then 15–23 ms). They count against the budget.',
    ]),
    '- Then the timed steps, interleaved across backends as in the forward bench, within the same budget per backend and',
    `  shape, the check steps included. A backend whose ${train.check_steps} check steps leave no room in the budget is reported OVER`,
    `  BUDGET and timed by its warm check steps (2–${train.check_steps}), which counted only once its losses agreed.`,
    '- GFLOP/s counts 3× the forward\'s 2·B·T·4H·(I+H) per layer and direction (forward, then a backward of about twice',
    '  its cost; the head, the loss and the update are left out). samples/s is B over the median step.',
    '',
  ];
}
