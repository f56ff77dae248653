// The shared test configuration, with module isolation between test files turned off: every file
// imports the mock server (mailparser, the certificate library, the attack catalogue), and loading that
// once per worker instead of once per file halves the run. No test here relies on module state.
import { mergeConfig } from 'vitest/config';
import { vitestBase } from '../../vitest.base';

export default mergeConfig(vitestBase, { test: { isolate: false } });
