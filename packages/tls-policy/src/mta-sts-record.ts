// The MTA-STS TXT record at `_mta-sts.<domain>` (RFC 8461 §3.1): `v=STSv1; id=<1-32 alphanumerics>;`
// plus ignorable extensions. Rule (§3.1): records not starting with `v=STSv1;` are discarded, and unless
// exactly one remains and it is valid, the domain has no MTA-STS policy. Pure: the caller resolves DNS.

/** A valid `_mta-sts` TXT record. `id` changes whenever the policy does (§3.1). */
export interface MtaStsRecord {
  readonly id: string;
}

const VERSION_PREFIX = /^v=STSv1\s*;/;
const RECORD_ID = /^[A-Za-z0-9]{1,32}$/;
const EXTENSION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const EXTENSION_VALUE = /^[\x21-\x3a\x3c\x3e-\x7e]+$/;

/** Parses one TXT record (its strings already joined). `undefined` when it is not a valid STSv1 record. */
export function parseMtaStsRecord(text: string): MtaStsRecord | undefined {
  const fields = text.split(';').map((field) => field.trim());
  if (fields[0] !== 'v=STSv1') return undefined;
  if (fields.at(-1) === '') fields.pop();
  let id: string | undefined;
  for (const field of fields.slice(1)) {
    const separator = field.indexOf('=');
    if (separator <= 0) return undefined;
    const name = field.slice(0, separator);
    const value = field.slice(separator + 1);
    if (name === 'id') {
      if (id !== undefined || !RECORD_ID.test(value)) return undefined;
      id = value;
    } else if (!EXTENSION_NAME.test(name) || !EXTENSION_VALUE.test(value)) {
      return undefined;
    }
  }
  return id === undefined ? undefined : { id };
}

/**
 * Picks the domain's record from all TXT answers at `_mta-sts.<domain>` (each answer is the list of
 * character-strings DNS returned, as `dns.resolveTxt` gives them; they are concatenated, RFC 7208 §3.3 style).
 */
export function selectMtaStsRecord(answers: readonly (readonly string[])[]): MtaStsRecord | undefined {
  const candidates = answers.map((strings) => strings.join('')).filter((text) => VERSION_PREFIX.test(text));
  if (candidates.length !== 1) return undefined;
  return parseMtaStsRecord(candidates[0] as string);
}
