// TLS version acceptance. TLS 1.0 and 1.1 are deprecated and must not be negotiated (RFC 8996 §2-3);
// TLS 1.2 is the floor and TLS 1.3 is preferred (RFC 9325 §3.1.1). Anything not recognised — SSLv3, a
// DTLS label, an empty string from a session that never finished — is refused, never guessed at.
import type { TlsVersion } from './policy';
import { ACCEPTED, type Verdict } from './verdict';

const VERSION_RANK: Readonly<Record<string, number>> = {
  'TLSv1.2': 2,
  'TLSv1.3': 3,
};

/** Whether the negotiated `protocol` (as `TLSSocket#getProtocol()` names it) meets `minVersion`. */
export function judgeProtocolVersion(protocol: string | null | undefined, minVersion: TlsVersion): Verdict {
  const rank = protocol == null ? undefined : VERSION_RANK[protocol];
  const required = VERSION_RANK[minVersion] ?? Number.POSITIVE_INFINITY;
  if (rank !== undefined && rank >= required) return ACCEPTED;
  return {
    accepted: false,
    code: 'TLS_VERSION_TOO_OLD',
    reason:
      `the session negotiated ${protocol ?? 'no protocol'}, but the policy requires ${minVersion} or newer ` +
      '(TLS 1.0 and 1.1 are deprecated by RFC 8996)',
  };
}
