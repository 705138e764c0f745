import './dawn-env.js';
import { useDawnKit } from '../support/dawn-kit.js';
import { describePropertyTest } from '../support/property-cases.js';
import { testSeed } from '../support/seed.js';
import { openDawn } from './dawn-env.js';

// The GPU property test (test/support/property-cases.ts) on Dawn, in this process; its twin in a
// Chromium page is test/gpu/property.test.ts. Same draws from the same seed.

/** As many draws as in the page: 150 take about 8 s on Dawn over SwiftShader on a 2-core machine. */
const kRuns = 150;

describePropertyTest('Dawn', useDawnKit(openDawn), { runs: kRuns, seed: testSeed('test/dawn/property.test.ts') });
