// The shape every pure decision returns: accepted, or refused with the `SecurityError` code and a
// reason phrased to be embedded in an error message ("the server presented ..."). Deciding and throwing
// are kept apart so decisions can be table-tested and reused by drivers that are not Node.
import type { SecurityErrorCode } from './errors';

export type Verdict =
  | { readonly accepted: true }
  | { readonly accepted: false; readonly code: SecurityErrorCode; readonly reason: string };

export const ACCEPTED: Verdict = Object.freeze({ accepted: true });
