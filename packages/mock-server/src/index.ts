// Public API of @strictmail/mock-server. Explicit named exports only: the surface is what is listed here.

// The attack catalogue and its verdicts (src/attacks/, src/audit/).
export { findScenario, listScenarios, SCENARIOS } from './attacks/catalogue';
export { WRONG_HOST_NAME } from './attacks/endpoint-tls';
export { ScenarioError, type ScenarioErrorCode } from './attacks/scenario-error';
export type {
  AttackPlan,
  CertificateDefect,
  Expectation,
  ForgedReply,
  RiskTier,
  Scenario,
  SecurityMode,
  TlsProfile,
} from './attacks/scenario-types';
export type { ScenarioSecrets } from './attacks/secrets';
export type { DeliveredMessage } from './attacks/sink-server';
export {
  type RunningScenario,
  SETTLE_TIMEOUT_MS,
  type StartScenarioOptions,
  startScenario,
} from './attacks/start-scenario';
export type { ConnectionRecord, TlsOutcome, WireChunk, WirePhase } from './attacks/wire-record';
// The audit (src/audit/): the whole catalogue against one client, and its reports.
export type { ClientEnvironment } from './audit/command-client';
export { formatJunit } from './audit/junit-report';
export type { Leak, LeakChannel, SecretKind } from './audit/leak-detector';
export {
  ALL_MODES,
  type AuditGrade,
  type AuditOptions,
  type AuditProgress,
  type AuditReport,
  type AuditResult,
  type AuditTarget,
  DEFAULT_CLIENT_TIMEOUT_MS,
  DEFAULT_CONCURRENCY,
  gradeResults,
  runAudit,
  type TierSummary,
} from './audit/run-audit';
export { describeResult, formatScorecard } from './audit/scorecard';
export type { SmugglingFinding, SmugglingFindingKind } from './audit/smuggling-probe';
export type { ClientResult, ScenarioVerdict } from './audit/verdict';
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
