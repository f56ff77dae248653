// The one error the attack catalogue throws: the caller asked for something the catalogue does not have.
// mock-server depends on no other strictmail package, so it mirrors StrictmailError's shape (a string
// `code`, a `kind`, a Symbol.for marker with `isInstance`) instead of importing it.

const MARKER = Symbol.for('strictmail.mock-server.ScenarioError');

export type ScenarioErrorCode = 'UNKNOWN_SCENARIO' | 'MODE_NOT_SUPPORTED' | 'INVALID_OPTION';

export class ScenarioError extends Error {
  readonly code: ScenarioErrorCode;
  readonly kind = 'configuration' as const;
  readonly [MARKER] = true;

  constructor(code: ScenarioErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScenarioError';
    this.code = code;
  }

  static isInstance(value: unknown): value is ScenarioError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}
