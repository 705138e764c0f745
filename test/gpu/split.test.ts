import { inPage, useKitSession } from '../support/page-kit.js';
import { describeSplitTests } from '../support/split-cases.js';

// The split tests (test/support/split-cases.ts) in a headless Chromium page; their twin on Dawn is
// test/dawn/split.test.ts.

const session = useKitSession();
describeSplitTests('Chromium', (scenario, spec) => inPage(session(), scenario, spec));
