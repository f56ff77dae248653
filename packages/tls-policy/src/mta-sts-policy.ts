// The MTA-STS policy file (RFC 8461 §3.2) and MX matching (§4.1). Rule: a policy is accepted only
// when it is entirely well-formed — version first and `STSv1`, a known mode, `max_age` within
// 0..31557600 seconds, at least one `mx` unless mode is `none` — otherwise the domain is treated as
// having no policy (§3.3, §5). Unknown keys are ignored; for repeated keys other than `mx` the first wins.
// Pure: fetching is the caller's job (see `discoverMtaStsPolicy`).

export type MtaStsMode = 'enforce' | 'testing' | 'none';

export interface MtaStsPolicy {
  readonly mode: MtaStsMode;
  /** MX patterns: exact host names or `*.` plus a domain (one leftmost label, §4.1). Lower case. */
  readonly mx: readonly string[];
  /** How long the policy may be cached, in seconds (§3.2). */
  readonly maxAgeSeconds: number;
}

/** Longest cache lifetime a policy may ask for, in seconds: about one year (RFC 8461 §3.2). */
export const MAXIMUM_MAX_AGE_SECONDS = 31_557_600;
/** Largest policy body accepted, in bytes (RFC 8461 §3.3 lets senders bound it; real ones are < 1 KiB). */
export const MAXIMUM_POLICY_BYTES = 64 * 1024;

const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function isDomain(name: string): boolean {
  const labels = name.split('.');
  return name.length <= 253 && labels.length >= 2 && labels.every((label) => DOMAIN_LABEL.test(label));
}

function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

export type MtaStsPolicyResult =
  | { readonly valid: true; readonly policy: MtaStsPolicy }
  | { readonly valid: false; readonly reason: string };

/** Parses a policy body (LF or CRLF lines, §3.2 `sts-policy-term`). */
export function parseMtaStsPolicy(text: string): MtaStsPolicyResult {
  const invalid = (reason: string): MtaStsPolicyResult => ({ valid: false, reason });
  if (text.length > MAXIMUM_POLICY_BYTES)
    return invalid(`the policy is larger than ${MAXIMUM_POLICY_BYTES} bytes`);
  const fields: [string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const separator = line.indexOf(':');
    if (separator <= 0) return invalid(`line ${JSON.stringify(line)} is not "key: value"`);
    fields.push([line.slice(0, separator).trim(), line.slice(separator + 1).trim()]);
  }
  const first = (key: string): string | undefined => fields.find(([name]) => name === key)?.[1];
  if (fields[0]?.[0] !== 'version' || fields[0][1] !== 'STSv1') {
    return invalid('the first field must be "version: STSv1"');
  }
  const mode = first('mode');
  if (mode !== 'enforce' && mode !== 'testing' && mode !== 'none') {
    return invalid(`mode ${JSON.stringify(mode ?? '')} is not enforce, testing or none`);
  }
  const maxAge = first('max_age');
  if (maxAge === undefined || !/^\d{1,10}$/.test(maxAge) || Number(maxAge) > MAXIMUM_MAX_AGE_SECONDS) {
    return invalid(
      `max_age ${JSON.stringify(maxAge ?? '')} is not a number of seconds up to ${MAXIMUM_MAX_AGE_SECONDS}`,
    );
  }
  const mx = fields.filter(([name]) => name === 'mx').map(([, value]) => normaliseHost(value));
  for (const pattern of mx) {
    if (!isDomain(pattern.startsWith('*.') ? pattern.slice(2) : pattern)) {
      return invalid(`mx ${JSON.stringify(pattern)} is not a host name or "*." wildcard`);
    }
  }
  if (mx.length === 0 && mode !== 'none') return invalid(`mode ${mode} needs at least one mx pattern`);
  return {
    valid: true,
    policy: Object.freeze({ mode, mx: Object.freeze(mx), maxAgeSeconds: Number(maxAge) }),
  };
}

/**
 * Whether `mxHost` matches one of the policy's patterns (§4.1): exactly, or `*.example.com` matching
 * one extra leftmost label (`mail.example.com`, not `example.com`, not `a.b.example.com`). Case and a
 * trailing dot are ignored.
 */
export function mxMatchesPolicy(policy: MtaStsPolicy, mxHost: string): boolean {
  const host = normaliseHost(mxHost);
  return policy.mx.some((pattern) => {
    if (!pattern.startsWith('*.')) return pattern === host;
    const dot = host.indexOf('.');
    return dot > 0 && host.slice(dot + 1) === pattern.slice(2);
  });
}
