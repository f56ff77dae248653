// Two decisions every driver asks before acting: must this connection be encrypted, and may
// credentials be sent on it now. Rule (invariants 1 and 9): credentials go only over a TLS session the
// policy has judged (a `TlsReceipt` exists), except in the mode explicitly spelled `dangerous-plaintext`.
import type { TlsPolicy } from './policy';
import type { TlsReceipt } from './receipt';

/** Whether the policy forbids carrying mail without TLS (true for `implicit-tls` and `require-starttls`). */
export function requiresTls(policy: TlsPolicy): boolean {
  return policy.mode === 'implicit-tls' || policy.mode === 'require-starttls';
}

/**
 * Whether AUTH may be sent now. True only with a receipt from `judgeTlsSocket` (which exists only for an
 * accepted session), or in `dangerous-plaintext` where the caller chose to send credentials in the clear.
 * In `opportunistic` mode without TLS this is false: stripping STARTTLS must never expose a password.
 */
export function mayAuthenticate(policy: TlsPolicy, receipt: TlsReceipt | null): boolean {
  if (policy.mode === 'dangerous-plaintext') return true;
  if (receipt === null) return false;
  if (receipt.decidedBy === 'pin') return true;
  return receipt.chainVerified && receipt.hostnameVerified;
}
