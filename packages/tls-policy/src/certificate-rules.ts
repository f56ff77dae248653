// What makes a certificate too weak or out of date, as pure decisions over facts extracted by the Node
// judge (key type and size, signature algorithm OID, validity dates, the current time as a parameter).
// Key sizes follow RFC 9325 §4.4/§4.5 and NIST SP 800-57 (112-bit strength: RSA >= 2048, EC >= 256
// here); MD5 and SHA-1 signatures are refused (RFC 6151, RFC 9155, CA/B Forum). Dates per RFC 5280 §4.1.2.5.
import { ACCEPTED, type Verdict } from './verdict';

/** Smallest accepted RSA modulus, in bits (RFC 9325 §4.4; OpenSSL security level 2). */
export const MINIMUM_RSA_BITS = 2048;
/** Smallest accepted elliptic-curve order, in bits (P-256; P-224 is allowed by NIST but deployed nowhere). */
export const MINIMUM_EC_BITS = 256;

/** The public key of a certificate, as far as strength is concerned. */
export interface KeyFacts {
  /** `rsa`, `rsa-pss`, `ec`, `ed25519`, `ed448`, `dsa`, ... (Node's `asymmetricKeyType`). */
  readonly type: string;
  /** Modulus length for RSA, curve order for EC. `undefined` when unknown. */
  readonly bits: number | undefined;
}

export function judgeKeyStrength(key: KeyFacts): Verdict {
  const weak = (expected: string): Verdict => ({
    accepted: false,
    code: 'CERTIFICATE_WEAK_KEY',
    reason: `the leaf certificate carries a ${key.type.toUpperCase()} key of ${key.bits ?? 'unknown'} bits; expected ${expected}`,
  });
  switch (key.type) {
    case 'rsa':
    case 'rsa-pss':
      return key.bits !== undefined && key.bits >= MINIMUM_RSA_BITS
        ? ACCEPTED
        : weak(`at least ${MINIMUM_RSA_BITS} bits (RFC 9325 §4.4)`);
    case 'ec':
      return key.bits !== undefined && key.bits >= MINIMUM_EC_BITS
        ? ACCEPTED
        : weak(`a curve of at least ${MINIMUM_EC_BITS} bits such as P-256`);
    case 'ed25519':
    case 'ed448':
      return ACCEPTED;
    default:
      return weak('an RSA (>= 2048 bits), EC (>= 256 bits) or EdDSA key');
  }
}

/** Bits of the named curves Node reports in `asymmetricKeyDetails.namedCurve`. */
export function curveBits(namedCurve: string | undefined): number | undefined {
  switch (namedCurve) {
    case 'prime256v1':
    case 'secp256r1':
    case 'secp256k1':
    case 'brainpoolP256r1':
      return 256;
    case 'secp384r1':
    case 'brainpoolP384r1':
      return 384;
    case 'secp521r1':
      return 521;
    case 'secp224r1':
      return 224;
    case 'prime192v1':
    case 'secp192r1':
      return 192;
    default:
      return undefined;
  }
}

/** Signature algorithm OIDs whose hash is broken (collisions: MD2, MD5, SHA-1). */
const WEAK_SIGNATURE_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.3.14.3.2.29': 'sha1WithRSASignature',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10040.4.3': 'dsa-with-sha1',
};
/** RSASSA-PSS names its hash in parameters; an absent hash means SHA-1 (RFC 4055 §3.1). */
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const WEAK_HASHES: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'SHA-1',
  '1.2.840.113549.2.5': 'MD5',
  '1.2.840.113549.2.2': 'MD2',
};

/** What the certificate's outer `signatureAlgorithm` says (RFC 5280 §4.1.1.2). */
export interface SignatureFacts {
  readonly algorithmOid: string;
  /** For RSASSA-PSS: the hash OID from the parameters, or `undefined` when absent (meaning SHA-1). */
  readonly pssHashOid?: string | undefined;
}

export function judgeSignatureAlgorithm(signature: SignatureFacts, whose: string): Verdict {
  let weakName = WEAK_SIGNATURE_ALGORITHMS[signature.algorithmOid];
  if (signature.algorithmOid === RSASSA_PSS) {
    const hash = signature.pssHashOid;
    weakName =
      hash === undefined
        ? 'RSASSA-PSS with SHA-1'
        : WEAK_HASHES[hash] && `RSASSA-PSS with ${WEAK_HASHES[hash]}`;
  }
  if (weakName === undefined) return ACCEPTED;
  return {
    accepted: false,
    code: 'CERTIFICATE_WEAK_SIGNATURE',
    reason:
      `${whose} is signed with ${weakName}, whose hash has practical collisions (SHA-1: SHAttered, 2017); ` +
      'expected a SHA-256 or stronger signature (RFC 9155). Ask the certificate issuer for a SHA-256 certificate',
  };
}

/** Whether `now` lies within [notBefore, notAfter] (RFC 5280 §4.1.2.5: both ends inclusive). */
export function judgeValidity(
  validity: { readonly notBefore: Date; readonly notAfter: Date },
  now: Date,
  whose: string,
): Verdict {
  if (now.getTime() < validity.notBefore.getTime()) {
    return {
      accepted: false,
      code: 'CERTIFICATE_NOT_YET_VALID',
      reason:
        `${whose} is not valid before ${validity.notBefore.toISOString()} and it is now ${now.toISOString()}; ` +
        'check the clock of this machine, or wait until the server certificate becomes valid',
    };
  }
  if (now.getTime() > validity.notAfter.getTime()) {
    return {
      accepted: false,
      code: 'CERTIFICATE_EXPIRED',
      reason:
        `${whose} expired at ${validity.notAfter.toISOString()} and it is now ${now.toISOString()}; ` +
        'the server operator must renew it',
    };
  }
  return ACCEPTED;
}
