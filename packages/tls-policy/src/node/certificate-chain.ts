// Re-verifies the chain Node reports for a finished session, independently of OpenSSL's verdict, so a
// caller-supplied `ca`, `rejectUnauthorized: false` or `NODE_TLS_REJECT_UNAUTHORIZED=0` cannot smuggle
// an untrusted certificate past the judge. Rule (RFC 5280 §6.1, reduced to what matters here): each
// certificate is issued and signed by the next, every issuer is a CA, and the chain ends at one of the
// policy's roots (its `ca`, else Node's bundled Mozilla roots). Dates and hashes are judged by the caller.
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

/** Whether `chain` (leaf first) links up to one of `anchorPems` (the system roots when undefined). */
export function verifyChainToAnchors(
  chain: readonly X509Certificate[],
  anchorPems: readonly string[] | undefined,
): Verdict {
  const untrusted = (reason: string): Verdict => ({ accepted: false, code: 'CERTIFICATE_UNTRUSTED', reason });
  const leaf = chain[0];
  if (leaf === undefined) return untrusted('the server presented no certificate');
  for (let index = 0; index + 1 < chain.length; index += 1) {
    const child = chain[index] as X509Certificate;
    const parent = chain[index + 1] as X509Certificate;
    if (!signedBy(child, parent)) {
      return untrusted(
        `certificate ${index} of the chain (${oneLine(child.subject)}) is not signed by the next one`,
      );
    }
    if (!parent.ca) {
      return untrusted(
        `${oneLine(parent.subject)} signed another certificate but is not a CA (basicConstraints cA is false)`,
      );
    }
  }
  const anchors = (anchorPems ?? rootCertificates).map(anchor);
  const top = chain[chain.length - 1] as X509Certificate;
  const anchored = anchors.some(
    (root) => root.fingerprint256 === top.fingerprint256 || (root.ca && signedBy(top, root)),
  );
  if (anchored) return ACCEPTED;
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
