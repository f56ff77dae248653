// Judges a finished TLS session and returns its receipt, or throws a SecurityError with a specific code.
// Rule: everything is computed from the session itself (getProtocol, getCipher, getPeerCertificate,
// authorizationError) and re-verified here, never taken from the options that were asked for, so a
// loosened caller option or NODE_TLS_REJECT_UNAUTHORIZED=0 cannot turn a bad session into a receipt.
// Order: version, cipher (RFC 8996, RFC 9325), leaf key, pins (RFC 7469), then PKIX unless pins alone
// decide: the path to a policy root, its validity and signature hashes (RFC 5280), OpenSSL's verdict,
// and the host name (RFC 6125 / RFC 9525).
import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import {
  ConfigurationError,
  judgeCipherSuite,
  judgeKeyStrength,
  judgeProtocolVersion,
  judgeSignatureAlgorithm,
  judgeValidity,
  pinMatches,
  SecurityError,
  type SecurityErrorCode,
  securityCodeForVerifyError,
  type TlsCapablePolicy,
  type TlsEntry,
  type TlsPolicy,
  type TlsReceipt,
  type Verdict,
} from '@strictmail/tls-policy';
import { oneLine, peerChain, spkiSha256, verifyChainToAnchors } from './certificate-chain';
import { isSelfSigned, keyFacts, signatureFacts, validity } from './certificate-facts';
import { checkHostIdentity, expectedServerName } from './host-identity';

export interface JudgeContext {
  /** The host that was dialled (name or IP literal). */
  readonly host: string;
  readonly entry: TlsEntry;
  /** The current time, for certificate validity. Default: now. */
  readonly now?: Date;
  /**
   * The receipt of the session whose ticket was passed to `tlsConnectOptions({ session })`. A resumed
   * session presents no certificate (the ticket's key authenticates the server), so its certificate
   * facts come from this receipt, after checking it was issued for the same name and trust.
   */
  readonly resumedFrom?: TlsReceipt;
  /**
   * `'mta-sts'` when the PKIX policy came from an MTA-STS `enforce` policy (`tlsPolicyForMx`), so the
   * receipt says so (`decidedBy: 'mta-sts'`, RFC 8461 §4). Ignored for pin trust.
   */
  readonly trustSource?: 'mta-sts';
}

function refuse(policy: TlsCapablePolicy, name: string, verdict: Verdict & { accepted: false }): never {
  throw new SecurityError(
    verdict.code,
    `TLS session with ${name} refused (policy ${policy.mode}, trust ${policy.trust}): ${verdict.reason}.`,
  );
}

function authorizationErrorName(socket: TLSSocket): string | undefined {
  const error: unknown = socket.authorizationError;
  if (error === null || error === undefined) return undefined;
  if (typeof error === 'string') return error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : String((error as Error).message ?? error);
}

function judgeChainCertificates(
  path: readonly X509Certificate[],
  anchored: boolean,
  now: Date,
): Verdict | undefined {
  for (const [index, certificate] of path.entries()) {
    const whose =
      index === 0 ? 'the server certificate' : `the chain certificate ${oneLine(certificate.subject)}`;
    const dates = judgeValidity(validity(certificate), now, whose);
    if (!dates.accepted) return dates;
    // A trust anchor's own signature proves nothing, so its hash does not matter (RFC 5280 §6.1).
    const isAnchor = anchored && index === path.length - 1;
    if (index > 0 && (isAnchor || isSelfSigned(certificate))) continue;
    const signature = judgeSignatureAlgorithm(signatureFacts(certificate), whose);
    if (!signature.accepted) return signature;
  }
  return undefined;
}

/**
 * Judges `socket` (after `secureConnect`) under `policy` and returns the receipt, or throws
 * `SecurityError`. Call it on every session, resumed or not: there is no other way to get a receipt.
 */
export function judgeTlsSocket(socket: TLSSocket, policy: TlsPolicy, context: JudgeContext): TlsReceipt {
  if (policy.mode === 'dangerous-plaintext') {
    throw new ConfigurationError(
      'INVALID_OPTION',
      'judgeTlsSocket: the policy is dangerous-plaintext, which accepts no TLS session; expected a TLS policy.',
    );
  }
  const name = expectedServerName(policy, context.host);
  const now = context.now ?? new Date();

  const protocol = socket.getProtocol();
  fail(policy, name, judgeProtocolVersion(protocol, policy.minVersion));
  const cipher = socket.getCipher()?.standardName;
  fail(policy, name, judgeCipherSuite(protocol, cipher));

  if (socket.isSessionReused()) return judgeResumed(socket, policy, name, context, protocol, cipher, now);
  const peer = socket.getPeerCertificate(true);
  if (peer?.raw === undefined) {
    refuse(policy, name, {
      accepted: false,
      code: 'CERTIFICATE_UNTRUSTED',
      reason: 'the server presented no certificate',
    });
  }
  const chain = peerChain(peer);
  const leaf = chain[0] as X509Certificate;
  fail(policy, name, judgeKeyStrength(keyFacts(leaf)));

  const leafSpkiSha256 = spkiSha256(leaf);
  const pinned = pinMatches(policy.pins, leafSpkiSha256);
  if (policy.trust !== 'pkix' && !pinned) {
    fail(policy, name, {
      accepted: false,
      code: 'PIN_MISMATCH',
      reason:
        `the server key has SPKI SHA-256 ${leafSpkiSha256}, which is none of the ${policy.pins.length} configured ` +
        'pin(s) (RFC 7469 §2.6). If the server changed its key on purpose, pin the new one; otherwise this may ' +
        'be an interception',
    });
  }

  const opensslError = authorizationErrorName(socket);
  const { verdict: chainVerdict, path } = verifyChainToAnchors(chain, policy.ca);
  const chainProblem = judgeChainCertificates(path, chainVerdict.accepted, now);
  const identityError = checkHostIdentity(name, peer);
  if (policy.trust !== 'pin') {
    // Our own checks first — the path to a policy root, then its dates and hashes — because they explain
    // the defect better than OpenSSL's error name; OpenSSL's verdict must agree afterwards.
    fail(policy, name, chainVerdict);
    if (chainProblem !== undefined) fail(policy, name, chainProblem);
    if (opensslError !== undefined) {
      fail(policy, name, {
        accepted: false,
        code: securityCodeForVerifyError(opensslError),
        reason: `certificate verification failed with ${opensslError}`,
      });
    }
    if (socket.authorized !== true) {
      fail(policy, name, {
        accepted: false,
        code: 'CERTIFICATE_UNTRUSTED',
        reason: 'the TLS stack did not authorize the peer',
      });
    }
    if (identityError !== undefined) {
      fail(policy, name, {
        accepted: false,
        code: 'HOSTNAME_MISMATCH',
        reason: `the certificate does not name ${name} (RFC 6125 §6): ${(identityError as Error & { reason?: string }).reason ?? identityError.message}`,
      });
    }
  }

  const chainVerified =
    socket.authorized === true &&
    opensslError === undefined &&
    chainVerdict.accepted &&
    chainProblem === undefined;
  return Object.freeze({
    entry: context.entry,
    protocol: protocol ?? '',
    cipher: cipher ?? '',
    serverName: name,
    chainVerified,
    hostnameVerified: identityError === undefined,
    leafSpkiSha256,
    subject: oneLine(leaf.subject),
    issuer: oneLine(leaf.issuer),
    validFrom: validity(leaf).notBefore.toISOString(),
    validTo: validity(leaf).notAfter.toISOString(),
    decidedBy: policy.trust === 'pkix' && context.trustSource === 'mta-sts' ? 'mta-sts' : policy.trust,
    resumed: socket.isSessionReused(),
  });
}

/**
 * A resumed session (RFC 8446 §2.2, RFC 5077) carries no certificate: the server proved it holds the
 * ticket key of the session judged earlier. Accept it only with that earlier receipt, for the same
 * name and the same trust, with the certificate still within its dates (unless a pin decides alone),
 * still authorized by the TLS stack, and never let a pin-trusted ticket pass a changed pin set.
 */
function judgeResumed(
  socket: TLSSocket,
  policy: TlsCapablePolicy,
  name: string,
  context: JudgeContext,
  protocol: string | null,
  cipher: string | undefined,
  now: Date,
): TlsReceipt {
  const earlier = context.resumedFrom;
  const refuseResumed = (reason: string, code: SecurityErrorCode = 'CERTIFICATE_UNTRUSTED'): never =>
    refuse(policy, name, { accepted: false, code, reason: `the session was resumed, but ${reason}` });
  if (earlier === undefined) {
    return refuseResumed('it presented no certificate and no earlier receipt (resumedFrom) was given');
  }
  if (earlier.serverName !== name) {
    refuseResumed(`its earlier session was judged for ${earlier.serverName}, not ${name}`);
  }
  if ((earlier.decidedBy === 'mta-sts' ? 'pkix' : earlier.decidedBy) !== policy.trust) {
    refuseResumed(
      `its earlier session was decided by ${earlier.decidedBy} and the policy trusts ${policy.trust}`,
    );
  }
  if (policy.trust !== 'pkix' && !pinMatches(policy.pins, earlier.leafSpkiSha256)) {
    refuseResumed(`its key ${earlier.leafSpkiSha256} matches none of the current pins`, 'PIN_MISMATCH');
  }
  if (policy.trust !== 'pin') {
    if (socket.authorized !== true) refuseResumed('the TLS stack does not authorize the resumed session');
    fail(
      policy,
      name,
      judgeValidity(
        { notBefore: new Date(earlier.validFrom), notAfter: new Date(earlier.validTo) },
        now,
        'the server certificate of the resumed session',
      ),
    );
  }
  return Object.freeze({
    ...earlier,
    entry: context.entry,
    protocol: protocol ?? '',
    cipher: cipher ?? '',
    resumed: true,
  });
}

function fail(policy: TlsCapablePolicy, name: string, verdict: Verdict): void {
  if (!verdict.accepted) refuse(policy, name, verdict);
}
