// The logging hook: any pino-compatible logger (`logger.info(object, message)`). Rule: nothing logged
// contains a credential; the transcript arrives already redacted by the core (invariant 9).
export interface Logger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

const ignore = (): void => {};

export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
