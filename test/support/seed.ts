import { randomInt } from 'node:crypto';

/**
 * The seed every property test and random draw uses unless WEBGPU_LSTM_TEST_SEED says otherwise, so
 * that CI draws the same cases on every run and a red run can be replayed (test/README.md).
 */
export const kDefaultTestSeed = 20_240_611;

/** fast-check takes a 32-bit signed seed; the variable accepts the non-negative half. */
const kMaxSeed = 2 ** 31 - 1;

/**
 * The seed of one test file's random draws: WEBGPU_LSTM_TEST_SEED when set (an integer in
 * [0, 2^31 − 1], or `random` for a fresh one), else kDefaultTestSeed. Printed once, with the line
 * that replays it; call it once per file, at the top.
 */
export function testSeed(file: string): number {
  const text = process.env.WEBGPU_LSTM_TEST_SEED?.trim() ?? '';
  const seed = text === '' ? kDefaultTestSeed : text === 'random' ? randomInt(kMaxSeed) : Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed > kMaxSeed) {
    throw new Error(`WEBGPU_LSTM_TEST_SEED: expected an integer in [0, ${kMaxSeed}] or "random", got ${JSON.stringify(text)}`);
  }
  console.log(`${file}: random draws use seed ${seed}; replay with WEBGPU_LSTM_TEST_SEED=${seed}`);
  return seed;
}
