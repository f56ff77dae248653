// `@strictmail/mock-server/vitest`: importing it registers the matchers with vitest's `expect` and
// declares their types; it also exports the per-test server fixtures.
//   import { useMockSmtpServer } from '@strictmail/mock-server/vitest';
//   expect(server.sessions[0]).toHaveNoPlaintextSecrets();
import { expect } from 'vitest';
import type { MessageFilter } from './server/message';
import { mockSmtpMatchers, type TlsExpectation } from './vitest/matchers';
import type { PlaintextSecretOptions } from './vitest/plaintext-findings';

expect.extend(mockSmtpMatchers);

/** The matchers this subpath adds to `expect(...)`. */
export interface MockSmtpMatchers<R = unknown> {
  /**
   * On a session (or a server: all its sessions): no password, AUTH data, envelope command or message
   * data crossed the wire before TLS.
   */
  toHaveNoPlaintextSecrets(options?: PlaintextSecretOptions): R;
  /** On a session: TLS was established, at `minVersion` (default TLS 1.2) or above. */
  toHaveUsedTls(expectation?: TlsExpectation): R;
  /** On a server: at least one stored message matches the filter. */
  toHaveReceivedMessage(filter?: MessageFilter): R;
}

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: must repeat vitest's own declaration of Matchers
  interface Matchers<T = any> extends MockSmtpMatchers<T> {}
}

export {
  createSmtpTest,
  type MockSmtpServerHandle,
  smtpTest,
  useMockSmtpServer,
} from './vitest/fixtures';
export { mockSmtpMatchers, type TlsExpectation } from './vitest/matchers';
export { type PlaintextSecretOptions, plaintextFindings } from './vitest/plaintext-findings';
