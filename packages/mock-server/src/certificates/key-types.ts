// Key and signature algorithms the harness can issue certificates with, as WebCrypto parameters.
// ECDSA P-256 is the default: generating a key takes about a millisecond, so a server per test is cheap.
// RSA-1024 and SHA-1 exist only to play defective servers in the attack catalogue.
import type { webcrypto } from 'node:crypto';

/** The key a certificate carries. `rsa-1024` is deliberately weak (attack scenario `cert-weak-key`). */
export type KeyType = 'ecdsa-p256' | 'ecdsa-p384' | 'rsa-2048' | 'rsa-1024';

/** The hash the issuer signs with. `SHA-1` is deliberately weak (attack scenario `cert-sha1-signature`). */
export type SignatureHash = 'SHA-256' | 'SHA-384' | 'SHA-1';

export function keyAlgorithm(keyType: KeyType): webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams {
  switch (keyType) {
    case 'ecdsa-p256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'ecdsa-p384':
      return { name: 'ECDSA', namedCurve: 'P-384' };
    case 'rsa-2048':
    case 'rsa-1024':
      return {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: keyType === 'rsa-2048' ? 2048 : 1024,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      };
  }
}

/** The signing algorithm an issuer holding `issuerKey` uses with `hash`. */
export function signingAlgorithm(
  issuerKey: webcrypto.CryptoKey,
  hash: SignatureHash,
): webcrypto.Algorithm & { hash: string } {
  return { name: issuerKey.algorithm.name, hash };
}
