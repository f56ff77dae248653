// Public API of @strictmail/mock-server. Explicit named exports only: the surface is what is listed here.

// The server (src/server/).
export {
  createMockSmtpServer,
  DEFAULT_WAIT_TIMEOUT_MS,
  type MockSmtpServer,
  type WaitOptions,
} from './server/create-mock-smtp-server';
export { MockServerError, type MockServerErrorCode } from './server/errors';
export type { Fault, FaultStage } from './server/faults';
export type { CapturedMessage, MessageEnvelope, MessageFilter } from './server/message';
export type {
  AuthMechanism,
  AuthOptions,
  MockSmtpServerOptions,
  MockUser,
  ServerMode,
  ServerTlsOptions,
} from './server/options';
export type {
  AuthAttempt,
  Direction,
  Milestone,
  MockSmtpSession,
  Phase,
  RecordedCommand,
  SessionTls,
  TranscriptChunk,
} from './server/session';
