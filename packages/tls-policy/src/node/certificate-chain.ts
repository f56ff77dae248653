// Re-verifies the chain Node reports for a finished session, independently of OpenSSL's verdict, so a
// caller-supplied `ca`, `rejectUnauthorized: false` or `NODE_TLS_REJECT_UNAUTHORIZED=0` cannot smuggle
// an untrusted certificate past the judge. Rule (RFC 5280 §6.1, reduced to what matters here): each
// certificate is issued and signed by the next, every issuer is a CA, and the path reaches one of the
// policy's roots (its `ca`, else Node's bundled Mozilla roots). Dates and hashes of the path are judged
// by the caller.
import { createHash, X509Certificate } from 'node:crypto';
import { type DetailedPeerCertificate, rootCertificates } from 'node:tls';
import { ACCEPTED, type Verdict } from '@strictmail/tls-policy';

/** Longest chain followed, leaf included. Real chains have 2-4 certificates; OpenSSL's default limit is 100. */
const MAXIMUM_CHAIN_LENGTH = 10;

const parsedAnchors = new Map<string, X509Certificate>();

function anchor(pem: string): X509Certificate {
  let parsed = parsedAnchors.get(pem);
  if (parsed === undefined) {
    parsed = new X509Certificate(pem);
    parsedAnchors.set(pem, parsed);
  }
  return parsed;
}

/** The certificates of the session from the leaf upward, as Node reports them (root included if known). */
export function peerChain(peer: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = peer;
  while (current?.raw !== undefined && chain.length < MAXIMUM_CHAIN_LENGTH) {
    if (seen.has(current.fingerprint256)) break;
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

/** base64 SHA-256 of the DER SubjectPublicKeyInfo (RFC 7469 §2.4): the pin of `certificate`. */
export function spkiSha256(certificate: X509Certificate): string {
  const spki = certificate.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

function signedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    // A key OpenSSL cannot use for this signature (wrong type, unsupported curve) proves nothing.
    return false;
  }
}

/** The outcome of the chain walk: the verdict, and the verified path from the leaf to its trust anchor. */
export interface ChainVerification {
  readonly verdict: Verdict;
  /**
   * When accepted: the leaf, the intermediates up to the anchor, and the anchor as configured (the
   * store's copy, whose dates count). When refused: the chain as presented.
   */
  readonly path: readonly X509Certificate[];
}

/** A trust anchor is a name and a key (RFC 5280 §6.1.1 (d)): a cross-signed copy of a root matches it. */
function sameAnchor(certificate: X509Certificate, root: X509Certificate): boolean {
  return (
    root.fingerprint256 === certificate.fingerprint256 ||
    (root.subject === certificate.subject && root.publicKey.equals(certificate.publicKey))
  );
}

/**
 * Walks `chain` (leaf first) until a certificate is, or is signed by, one of `anchorPems` (the system
 * roots when undefined). Certificates Node reports above the anchor (an expired cross-sign, as in the
 * 2021 DST Root CA X3 expiry) are not part of the path and are not judged.
 */
export function verifyChainToAnchors(
  chain: readonly X509Certificate[],
  anchorPems: readonly string[] | undefined,
): ChainVerification {
  const untrusted = (reason: string): ChainVerification => ({
    verdict: { accepted: false, code: 'CERTIFICATE_UNTRUSTED', reason },
    path: chain,
  });
  const leaf = chain[0];
  if (leaf === undefined) return untrusted('the server presented no certificate');
  const anchors = (anchorPems ?? rootCertificates).map(anchor);
  for (const [index, certificate] of chain.entries()) {
    if (index > 0) {
      const child = chain[index - 1] as X509Certificate;
      if (!signedBy(child, certificate)) {
        return untrusted(`${oneLine(child.subject)} is not signed by the next certificate of the chain`);
      }
      if (!certificate.ca) {
        return untrusted(
          `${oneLine(certificate.subject)} signed another certificate but is not a CA (basicConstraints cA is false)`,
        );
      }
    }
    const itself = anchors.find((root) => sameAnchor(certificate, root));
    if (itself !== undefined) return { verdict: ACCEPTED, path: [...chain.slice(0, index), itself] };
    const issuer = anchors.find((root) => root.ca && signedBy(certificate, root));
    if (issuer !== undefined) return { verdict: ACCEPTED, path: [...chain.slice(0, index + 1), issuer] };
  }
  const top = chain[chain.length - 1] as X509Certificate;
  const selfSigned = chain.length === 1 && signedBy(leaf, leaf);
  return untrusted(
    `${selfSigned ? 'the certificate is self-signed' : `the chain ends at ${oneLine(top.issuer)}`}, which is not ` +
      `one of the ${anchorPems === undefined ? 'system roots' : "policy's ca certificates"}`,
  );
}

/** `CN=a\nO=b` (Node's X509 name format) as `CN=a, O=b`. */
export function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}
