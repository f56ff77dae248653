// Public surface of @strictmail/smtp-core/node: the Node driver and pool around the sans-I/O core.
export type { MessageInput } from './node/body-source';
export {
  createClient,
  MAX_UNSENT_RETRIES,
  type SendOptions,
  type SendResult,
  SmtpClient,
  type VerifyResult,
} from './node/client';
export { type Logger, silentLogger } from './node/logger';
export { type AuthOptions, type ClientOptions, PIPELINE_WINDOW, type PoolOptions } from './node/options';
export {
  type ClientTimeouts,
  DEFAULT_CLIENT_TIMEOUTS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  QUIT_TIMEOUT_MS,
} from './node/timeouts';
