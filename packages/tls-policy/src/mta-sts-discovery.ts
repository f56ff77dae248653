// MTA-STS discovery and application (RFC 8461 §3.3, §5), with all I/O injected: the caller supplies a
// TXT resolver and an HTTPS fetcher, so this stays pure and testable offline. Rule: any failure to
// discover means "no policy" (§3.3: deliver as if the domain had not implemented MTA-STS), never an
// exception; an `enforce` policy that does not list the MX refuses delivery (§5.1); callers cache
// policies by record id for `max_age` seconds (§5.1) — this module holds no cache and no clock.
import { dangerousOpportunisticStarttls, requireStarttls } from './constructors';
import { SecurityError } from './errors';
import {
  MAXIMUM_POLICY_BYTES,
  type MtaStsPolicy,
  mxMatchesPolicy,
  parseMtaStsPolicy,
} from './mta-sts-policy';
import { selectMtaStsRecord } from './mta-sts-record';
import type { OpportunisticPolicy, RequireStarttlsPolicy, TrustOptions } from './policy';

/** The I/O MTA-STS needs. Both must stay off the network in tests; production passes real ones. */
export interface MtaStsResolver {
  /** TXT answers at `name` (like `dns.promises.resolveTxt`); reject or return `[]` when there are none. */
  resolveTxt(name: string): Promise<readonly (readonly string[])[]>;
  /**
   * GET `url` over HTTPS with a verified certificate for `mta-sts.<domain>` (§3.3), following no
   * redirects, and return the status, the Content-Type and the body. It must not honour
   * `NODE_TLS_REJECT_UNAUTHORIZED=0`: pass an explicit verifying agent.
   */
  fetchPolicy(url: string): Promise<{ status: number; contentType: string | undefined; body: string }>;
}

export type MtaStsDiscovery =
  | { readonly found: true; readonly id: string; readonly policy: MtaStsPolicy }
  | { readonly found: false; readonly reason: string };

function notFound(reason: string): MtaStsDiscovery {
  return { found: false, reason };
}

/** The URL of a domain's policy file (RFC 8461 §3.3). */
export function mtaStsPolicyUrl(domain: string): string {
  return `https://mta-sts.${domain.toLowerCase().replace(/\.$/, '')}/.well-known/mta-sts.txt`;
}

/** Looks up the TXT record, then fetches and parses the policy (RFC 8461 §3). Never throws. */
export async function discoverMtaStsPolicy(
  domain: string,
  resolver: MtaStsResolver,
): Promise<MtaStsDiscovery> {
  const name = domain.toLowerCase().replace(/\.$/, '');
  let answers: readonly (readonly string[])[];
  try {
    answers = await resolver.resolveTxt(`_mta-sts.${name}`);
  } catch (error) {
    return notFound(`no _mta-sts.${name} TXT record (${(error as Error).message ?? String(error)})`);
  }
  const record = selectMtaStsRecord(answers);
  if (record === undefined)
    return notFound(`_mta-sts.${name} holds no single valid "v=STSv1; id=..." record`);
  let response: Awaited<ReturnType<MtaStsResolver['fetchPolicy']>>;
  try {
    response = await resolver.fetchPolicy(mtaStsPolicyUrl(name));
  } catch (error) {
    return notFound(
      `fetching ${mtaStsPolicyUrl(name)} failed (${(error as Error).message ?? String(error)})`,
    );
  }
  if (response.status !== 200)
    return notFound(`${mtaStsPolicyUrl(name)} answered HTTP ${response.status}, not 200`);
  if (!/^text\/plain\s*(;|$)/i.test(response.contentType ?? '')) {
    return notFound(
      `${mtaStsPolicyUrl(name)} has Content-Type ${response.contentType ?? 'none'}, not text/plain`,
    );
  }
  if (response.body.length > MAXIMUM_POLICY_BYTES) {
    return notFound(`the policy is larger than ${MAXIMUM_POLICY_BYTES} bytes`);
  }
  const parsed = parseMtaStsPolicy(response.body);
  if (!parsed.valid) return notFound(`the policy at ${mtaStsPolicyUrl(name)} is invalid: ${parsed.reason}`);
  return { found: true, id: record.id, policy: parsed.policy };
}

export interface MxTlsPolicy {
  readonly policy: RequireStarttlsPolicy | OpportunisticPolicy;
  /** True under an `enforce` policy: TLS with a verified certificate for the MX name is required. */
  readonly enforced: boolean;
}

/**
 * The TLS policy for delivering to `mxHost` under the domain's MTA-STS policy (RFC 8461 §5):
 * `enforce` and listed -> `requireStarttls` verified against `mxHost`; `enforce` and not listed ->
 * throws `SecurityError('MTA_STS_MX_MISMATCH')`; `testing`, `none` or no policy -> opportunistic.
 */
export function tlsPolicyForMx(
  mtaSts: MtaStsPolicy | undefined,
  mxHost: string,
  options: Omit<TrustOptions, 'serverName'> = {},
): MxTlsPolicy {
  if (mtaSts === undefined || mtaSts.mode !== 'enforce') {
    return { policy: dangerousOpportunisticStarttls({ ...options, serverName: mxHost }), enforced: false };
  }
  if (!mxMatchesPolicy(mtaSts, mxHost)) {
    throw new SecurityError(
      'MTA_STS_MX_MISMATCH',
      `MX host ${mxHost} is not allowed by the recipient domain's MTA-STS policy in enforce mode ` +
        `(allowed: ${mtaSts.mx.join(', ')}; RFC 8461 §4.1). The MX record may have been forged or the ` +
        'domain misconfigured its policy; the message was not sent to this host.',
    );
  }
  return { policy: requireStarttls({ ...options, serverName: mxHost }), enforced: true };
}
