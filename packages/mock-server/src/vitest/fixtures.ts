// Vitest fixtures that give each test its own mock server and close it afterwards, so no state leaks
// between tests and no handle outlives its test. Two styles: `useMockSmtpServer()` registers
// beforeEach/afterEach hooks in the enclosing describe block; `createSmtpTest()` returns a `test` with
// an `smtp` fixture (vitest's test.extend).
import { afterEach, beforeEach, test } from 'vitest';
import { createMockSmtpServer, type MockSmtpServer } from '../server/create-mock-smtp-server';
import type { MockSmtpServerOptions } from '../server/options';

/** The server of the running test. Reading `server` outside a test throws. */
export interface MockSmtpServerHandle {
  readonly server: MockSmtpServer;
}

/** Starts a fresh server before each test of the enclosing block and closes it after. */
export function useMockSmtpServer(options: MockSmtpServerOptions = {}): MockSmtpServerHandle {
  let current: MockSmtpServer | undefined;
  beforeEach(async () => {
    current = await createMockSmtpServer(options);
  });
  afterEach(async () => {
    const server = current;
    current = undefined;
    await server?.close();
  });
  return {
    get server(): MockSmtpServer {
      if (current === undefined) {
        throw new Error(
          'useMockSmtpServer(): the server exists only while a test runs; read handle.server inside it() or a hook.',
        );
      }
      return current;
    },
  };
}

/** A vitest `test` whose tests receive `{ smtp }`, a fresh server closed when the test ends. */
export function createSmtpTest(options: MockSmtpServerOptions = {}) {
  return test.extend<{ smtp: MockSmtpServer }>({
    // biome-ignore lint/correctness/noEmptyPattern: vitest requires object destructuring for fixtures
    smtp: async ({}, use) => {
      const server = await createMockSmtpServer(options);
      try {
        await use(server);
      } finally {
        await server.close();
      }
    },
  });
}

/** `createSmtpTest()` with the default options: a STARTTLS server accepting any AUTH. */
export const smtpTest = createSmtpTest();
