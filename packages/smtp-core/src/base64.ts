// Base64 (RFC 4648 §4) for AUTH exchanges, on Uint8Array and without `Buffer` (the core is runtime-neutral).
// Decoding is strict: a challenge that is not valid base64 is reported, never half-decoded.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeBase64(bytes: Uint8Array | string): string {
  const data = typeof bytes === 'string' ? encoder.encode(bytes) : bytes;
  let out = '';
  for (let index = 0; index < data.length; index += 3) {
    const a = data[index] ?? 0;
    const b = data[index + 1] ?? 0;
    const c = data[index + 2] ?? 0;
    const triple = (a << 16) | (b << 8) | c;
    out += ALPHABET[(triple >> 18) & 63];
    out += ALPHABET[(triple >> 12) & 63];
    out += index + 1 < data.length ? ALPHABET[(triple >> 6) & 63] : '=';
    out += index + 2 < data.length ? ALPHABET[triple & 63] : '=';
  }
  return out;
}

/** Decodes base64; returns `null` when the text is not valid base64. */
export function decodeBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let position = 0;
  for (let index = 0; index < text.length; index += 4) {
    let triple = 0;
    for (let offset = 0; offset < 4; offset++) {
      const character = text[index + offset] ?? '=';
      triple = (triple << 6) | (character === '=' ? 0 : ALPHABET.indexOf(character));
    }
    if (position < out.length) out[position++] = (triple >> 16) & 255;
    if (position < out.length) out[position++] = (triple >> 8) & 255;
    if (position < out.length) out[position++] = triple & 255;
  }
  return out;
}

export function decodeBase64Text(text: string): string | null {
  const bytes = decodeBase64(text);
  return bytes === null ? null : decoder.decode(bytes);
}
