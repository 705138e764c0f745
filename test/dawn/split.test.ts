import './dawn-env.js';
import { useDawnKit } from '../support/dawn-kit.js';
import { describeSplitTests } from '../support/split-cases.js';
import { openDawn } from './dawn-env.js';

// The split tests (test/support/split-cases.ts) on Dawn, in this process; their twin in a Chromium
// page is test/gpu/split.test.ts. Buffers are counted through Dawn's own GPUDevice and GPUBuffer.

describeSplitTests('Dawn', useDawnKit(openDawn));
