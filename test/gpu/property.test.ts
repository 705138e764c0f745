import { inPage, useKitSession } from '../support/page-kit.js';
import { describePropertyTest } from '../support/property-cases.js';
import { testSeed } from '../support/seed.js';

// The GPU property test (test/support/property-cases.ts) in a headless Chromium page; its twin on
// Dawn is test/dawn/property.test.ts.

/**
 * Draws: each of the 13 drawn dimensions meets every value of every other several times, and the
 * file stays under a minute on a 2-core machine (0.15–0.35 s a draw on SwiftShader, depending on
 * what else the machine is doing).
 */
const kRuns = 150;

const session = useKitSession();
describePropertyTest('Chromium', (scenario, spec) => inPage(session(), scenario, spec), { runs: kRuns, seed: testSeed('test/gpu/property.test.ts') });
