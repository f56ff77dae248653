// The EHLO reply parsed into structured capabilities (RFC 5321 §4.1.1.1): one keyword and its
// parameters per line after the first, keywords compared case-insensitively and exactly. Never a regex
// over the raw multi-line text (a keyword inside another line's text must not count).
// A line whose keyword is not `ALPHA/DIGIT *(ALPHA/DIGIT/"-")` is kept aside, not guessed at: this drops
// the pre-standard `AUTH=LOGIN` form, which every server that sends it also sends as `AUTH LOGIN`.
import type { Reply } from './reply';

export interface Capabilities {
  /** The domain the server named on the first line of its EHLO reply. */
  readonly domain: string;
  /** Each advertised keyword (upper case) and its parameters, in the order sent. */
  readonly keywords: ReadonlyMap<string, readonly string[]>;
  /** Lines that were not a valid EHLO keyword line; kept for diagnostics only. */
  readonly unrecognized: readonly string[];
  readonly starttls: boolean;
  readonly pipelining: boolean;
  readonly chunking: boolean;
  readonly eightBitMime: boolean;
  readonly smtpUtf8: boolean;
  readonly dsn: boolean;
  readonly enhancedStatusCodes: boolean;
  readonly requireTls: boolean;
  /** The SASL mechanisms offered (upper case), empty when AUTH is not advertised. */
  readonly auth: readonly string[];
  /** RFC 1870: the maximum message size in bytes, `0` for "no fixed limit", `null` when SIZE is absent. */
  readonly size: number | null;
}

const KEYWORD = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** Parses a positive EHLO reply. A reply to HELO yields capabilities with no keyword. */
export function parseCapabilities(reply: Reply): Capabilities {
  const [first = '', ...rest] = reply.lines;
  const keywords = new Map<string, readonly string[]>();
  const unrecognized: string[] = [];
  for (const line of rest) {
    const [keyword = '', ...params] = line.split(' ').filter((part) => part !== '');
    if (!KEYWORD.test(keyword)) {
      unrecognized.push(line);
      continue;
    }
    const upper = keyword.toUpperCase();
    if (!keywords.has(upper)) keywords.set(upper, params);
  }
  return capabilitiesFrom(first.split(' ')[0] ?? '', keywords, unrecognized);
}

/** Capabilities of a session that used HELO: no extension at all (RFC 5321 §4.1.1.1). */
export function heloCapabilities(reply: Reply): Capabilities {
  return capabilitiesFrom((reply.lines[0] ?? '').split(' ')[0] ?? '', new Map(), []);
}

function capabilitiesFrom(
  domain: string,
  keywords: Map<string, readonly string[]>,
  unrecognized: string[],
): Capabilities {
  const sizeParam = keywords.get('SIZE')?.[0];
  let size: number | null = null;
  if (keywords.has('SIZE')) {
    size = sizeParam !== undefined && /^\d{1,15}$/.test(sizeParam) ? Number(sizeParam) : 0;
  }
  return {
    domain,
    keywords,
    unrecognized,
    starttls: keywords.has('STARTTLS'),
    pipelining: keywords.has('PIPELINING'),
    chunking: keywords.has('CHUNKING'),
    eightBitMime: keywords.has('8BITMIME'),
    smtpUtf8: keywords.has('SMTPUTF8'),
    dsn: keywords.has('DSN'),
    enhancedStatusCodes: keywords.has('ENHANCEDSTATUSCODES'),
    requireTls: keywords.has('REQUIRETLS'),
    auth: (keywords.get('AUTH') ?? []).map((mechanism) => mechanism.toUpperCase()),
    size,
  };
}

/** The capabilities as `KEYWORD param param` strings, e.g. for `verify()` results and logs. */
export function capabilityList(capabilities: Capabilities): string[] {
  return [...capabilities.keywords].map(([keyword, params]) => [keyword, ...params].join(' '));
}
