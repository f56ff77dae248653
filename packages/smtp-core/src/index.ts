// Public surface of @strictmail/smtp-core: the sans-I/O SMTP client. No `node:*` import, no timer,
// no clock, no Buffer anywhere below this entry (the Node driver lives in `./node`).
export {
  type Credentials,
  chooseMechanism,
  PASSWORD_MECHANISMS,
  type RandomBytes,
  TOKEN_MECHANISMS,
} from './auth/mechanisms';
export { hmacSha256, pbkdf2Sha256, sha256 } from './auth/sha256';
export { type BareLineEndingHandling, BodyEncoder, type BodyFraming, hasEightBit } from './body-encoder';
export { type Capabilities, capabilityList, parseCapabilities } from './capabilities';
export { ClientConnection, type ClientConnectionOptions } from './connection';
export {
  ConnectionError,
  type ConnectionErrorCode,
  LocalProtocolError,
  type LocalProtocolErrorCode,
  type RecipientOutcome,
  RemoteProtocolError,
  type RemoteProtocolErrorCode,
  SmtpReplyError,
  type SmtpReplyErrorCode,
} from './errors';
export {
  type BodyChunkCommand,
  type BodyEndCommand,
  type BodyRequestEvent,
  type ClientCommand,
  type ClientEvent,
  type ConnectionCloseEvent,
  type ConnectionFailEvent,
  type DsnOptions,
  type Envelope,
  type MessageAcceptEvent,
  type MessageRejectEvent,
  type MessageStartCommand,
  NEED_DATA,
  type NeedData,
  type QuitCommand,
  type SessionReadyEvent,
  type TlsUpgradeRequestEvent,
  type TranscriptEntry,
} from './events';
export {
  MAX_ADDRESS_BYTES,
  MAX_AUTH_CHALLENGES,
  MAX_CLIENT_NAME_BYTES,
  MAX_RECEIVE_BUFFER_BYTES,
  MAX_RECIPIENTS,
  MAX_REPLY_LINE_BYTES,
  MAX_REPLY_LINES,
} from './limits';
export { type EnhancedStatusCode, parseEnhancedCode, Reply } from './reply';
export { ReplyParser } from './reply-parser';
export {
  CONNECTION_TRANSITIONS,
  type ConnectionState,
  TRANSACTION_TRANSITIONS,
  type TransactionState,
} from './state';
export {
  type CoreTimeouts,
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_CORE_TIMEOUTS,
  DEFAULT_DATA_END_TIMEOUT_MS,
  DEFAULT_GREETING_TIMEOUT_MS,
} from './timeouts';
