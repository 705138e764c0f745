import { inPage, useKitSession } from '../support/page-kit.js';
import { describeLargeHidden } from '../support/large-hidden-cases.js';

// Forced recurrence paths at large H in a Chromium page (test/support/large-hidden-cases.ts); the Dawn twin is test/dawn/large-hidden.test.ts.
const session = useKitSession();
describeLargeHidden('Chromium', (scenario, spec) => inPage(session(), scenario, spec));
