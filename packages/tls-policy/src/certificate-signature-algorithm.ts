// Reads a certificate's outer signatureAlgorithm (RFC 5280 §4.1.1.2) from its DER bytes, because
// Node 20's X509Certificate does not expose it. A deliberately tiny DER walker: definite lengths only
// (DER forbids indefinite ones, X.690 §10.1), bounds-checked at every step, and it throws on anything
// malformed rather than guessing. Pure: bytes are a Uint8Array.
import type { SignatureFacts } from './certificate-rules';

const TAG_SEQUENCE = 0x30;
const TAG_OBJECT_IDENTIFIER = 0x06;
const TAG_CONTEXT_0 = 0xa0;
/** DER lengths of certificates never need more than 4 length bytes (4 GiB); more is malformed. */
const MAXIMUM_LENGTH_BYTES = 4;

interface Element {
  readonly tag: number;
  /** Offset of the first content byte. */
  readonly start: number;
  /** Offset just past the last content byte. */
  readonly end: number;
}

function malformed(what: string): Error {
  return new Error(`malformed DER certificate: ${what}`);
}

function readElement(bytes: Uint8Array, offset: number, limit: number): Element {
  if (offset + 2 > limit) throw malformed('truncated header');
  const tag = bytes[offset] as number;
  let length = bytes[offset + 1] as number;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > MAXIMUM_LENGTH_BYTES) throw malformed('unsupported length form');
    if (start + count > limit) throw malformed('truncated length');
    length = 0;
    for (let index = 0; index < count; index += 1) length = length * 256 + (bytes[start + index] as number);
    start += count;
  }
  const end = start + length;
  if (end > limit) throw malformed('element runs past its container');
  return { tag, start, end };
}

function expectTag(element: Element, tag: number, what: string): Element {
  if (element.tag !== tag) throw malformed(`expected ${what}`);
  return element;
}

/** Dotted-decimal form of an OBJECT IDENTIFIER's content bytes (X.690 §8.19). */
export function decodeObjectIdentifier(content: Uint8Array): string {
  if (content.length === 0) throw malformed('empty object identifier');
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  if ((content[content.length - 1] as number) & 0x80) throw malformed('unterminated object identifier');
  const first = arcs[0] as number;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

function readAlgorithmIdentifier(bytes: Uint8Array, element: Element): { oid: string; parameters?: Element } {
  const oid = expectTag(readElement(bytes, element.start, element.end), TAG_OBJECT_IDENTIFIER, 'an OID');
  const result = { oid: decodeObjectIdentifier(bytes.subarray(oid.start, oid.end)) };
  return oid.end < element.end ? { ...result, parameters: readElement(bytes, oid.end, element.end) } : result;
}

/** The outer signature algorithm of a DER certificate, with the hash of RSASSA-PSS when present. */
export function readSignatureAlgorithm(der: Uint8Array): SignatureFacts {
  const certificate = expectTag(readElement(der, 0, der.length), TAG_SEQUENCE, 'Certificate SEQUENCE');
  const tbs = expectTag(readElement(der, certificate.start, certificate.end), TAG_SEQUENCE, 'tbsCertificate');
  const algorithm = expectTag(readElement(der, tbs.end, certificate.end), TAG_SEQUENCE, 'signatureAlgorithm');
  const { oid, parameters } = readAlgorithmIdentifier(der, algorithm);
  if (parameters === undefined || parameters.tag !== TAG_SEQUENCE) return { algorithmOid: oid };
  // RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] EXPLICIT AlgorithmIdentifier DEFAULT sha1, ... }
  if (parameters.start === parameters.end) return { algorithmOid: oid, pssHashOid: undefined };
  const first = readElement(der, parameters.start, parameters.end);
  if (first.tag !== TAG_CONTEXT_0) return { algorithmOid: oid, pssHashOid: undefined };
  const hash = expectTag(readElement(der, first.start, first.end), TAG_SEQUENCE, 'hashAlgorithm');
  return { algorithmOid: oid, pssHashOid: readAlgorithmIdentifier(der, hash).oid };
}
