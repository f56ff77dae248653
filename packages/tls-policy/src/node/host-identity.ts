// The server identity check (RFC 6125 §6, as updated by RFC 9525): the certificate must name the host
// in its subjectAltName — DNS names for host names, IP addresses for IP literals. Rule: a certificate
// without subjectAltName is refused; the legacy fallback to the subject CN (which Node's
// `tls.checkServerIdentity` still performs) is removed by RFC 9525 §6.3 and is not honoured here.
import { isIP } from 'node:net';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import type { TlsCapablePolicy } from '@strictmail/tls-policy';

/** The name the certificate must carry: the policy's `serverName`, else the dialled host. */
export function expectedServerName(policy: TlsCapablePolicy, host: string): string {
  const name = policy.serverName ?? host;
  // `[::1]` as written in URLs is the IPv6 literal `::1`.
  if (name.startsWith('[') && name.endsWith(']')) return name.slice(1, -1);
  // An absolute name's trailing dot is not part of the host name (RFC 6066 §3 forbids it in SNI).
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** Whether `name` is an IP literal (IP literals go unsent in SNI, RFC 6066 §3, and match only IP SANs). */
export function isIpLiteral(name: string): boolean {
  return isIP(name) !== 0;
}

/** An identity error shaped like Node's own, so `authorizationError` reads the same either way. */
function identityError(reason: string): Error {
  return Object.assign(new Error(`Hostname/IP does not match certificate's altnames: ${reason}`), {
    code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    reason,
  });
}

/**
 * Checks that `certificate` names `name`. Returns an Error (Node's `checkServerIdentity` convention)
 * or `undefined` when it matches.
 */
export function checkHostIdentity(name: string, certificate: PeerCertificate): Error | undefined {
  const altNames = certificate.subjectaltname;
  if (altNames === undefined || altNames.trim() === '') {
    return identityError(
      `the certificate has no subjectAltName, so it names no host (a subject CN of ` +
        `${JSON.stringify(certificate.subject?.CN ?? '')} is not accepted: RFC 9525 §6.3 removed the CN fallback)`,
    );
  }
  const error = checkServerIdentity(name, certificate);
  return error === undefined
    ? undefined
    : identityError((error as Error & { reason?: string }).reason ?? error.message);
}
