import './dawn-env.js';
import { useDawnKit } from '../support/dawn-kit.js';
import { describeLargeHidden } from '../support/large-hidden-cases.js';
import { openDawn } from './dawn-env.js';

// Forced recurrence paths at large H on Dawn (test/support/large-hidden-cases.ts); the Chromium twin is test/gpu/large-hidden.test.ts.
describeLargeHidden('Dawn', useDawnKit(openDawn));
