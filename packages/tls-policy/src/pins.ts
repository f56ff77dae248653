// Certificate pins: base64 SHA-256 of the leaf's DER SubjectPublicKeyInfo, the format of HPKP
// (RFC 7469 §2.4) and of DANE's SPKI selector (RFC 6698 §2.1.2). Pinning the key rather than the
// certificate survives renewals that keep the key. Pure: the hash itself is computed in `./node`.

/** 32 bytes of SHA-256 in standard base64: 43 characters and one `=` of padding. */
const PIN_SHAPE = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** Whether `pin` is a well-formed base64 SHA-256 digest (it says nothing about which key it names). */
export function isWellFormedPin(pin: string): boolean {
  return typeof pin === 'string' && PIN_SHAPE.test(pin);
}

/** Whether the leaf's SPKI SHA-256 is one of the configured pins (RFC 7469 §2.6: any one match suffices). */
export function pinMatches(pins: readonly string[], leafSpkiSha256: string): boolean {
  return pins.includes(leafSpkiSha256);
}
