// The result of `check`, as data: what the server offered, what was accepted, the findings, and the
// strictmail policy that works. Rule: `--json` prints exactly this shape; the human renderer reads
// nothing else, so both outputs always agree.
import type { TlsReceipt } from '@strictmail/tls-policy';
import type { CertificateFacts } from './certificate-facts';

export type FindingLevel = 'ok' | 'info' | 'warn' | 'fail';

export interface Finding {
  readonly level: FindingLevel;
  /** Short machine-readable topic, e.g. `auth-before-tls`, `tls-version`, `certificate-expiry`. */
  readonly topic: string;
  readonly text: string;
}

/** One handshake attempt at a fixed TLS version (or version range for the legacy probe). */
export interface VersionProbe {
  readonly version: 'TLSv1.3' | 'TLSv1.2' | 'TLSv1.1 or older' | 'TLSv1.2 weak suites';
  /** `judged`: verified and judged by @strictmail/tls-policy/node; `inspection`: verification off, nothing sent. */
  readonly method: 'judged' | 'inspection';
  readonly accepted: boolean;
  readonly protocol?: string | undefined;
  readonly cipher?: string | undefined;
  /** Why the handshake or the judgement failed (a strictmail error code when there is one). */
  readonly errorCode?: string | undefined;
  readonly error?: string | undefined;
}

export interface RecommendedPolicy {
  /** e.g. `requireStarttls({ pins: ['…'], pinsOnly: true })`. */
  readonly code: string;
  readonly constructorName: 'implicitTls' | 'requireStarttls';
  readonly options: { readonly pins?: string[]; readonly pinsOnly?: boolean; readonly serverName?: string };
  /** Whether a ca file must be passed too (the one given to `check --ca`). */
  readonly needsCaFile: boolean;
  /** The flags for `strictmail-example send`. */
  readonly sendFlags: string;
  /** The receipt of the judged session that confirmed the policy. */
  readonly receipt: TlsReceipt;
}

export interface CheckReport {
  readonly host: string;
  readonly port: number;
  /** How TLS is reached on this port, or `none` when it is not reached at all. */
  readonly entry: 'implicit-tls' | 'starttls' | 'none';
  readonly greeting: string | undefined;
  /** EHLO keywords before TLS (STARTTLS ports only). */
  readonly capabilitiesBeforeTls: string[] | undefined;
  readonly capabilitiesAfterTls: string[] | undefined;
  readonly authBeforeTls: string[];
  /** Reply code to a credential-less `AUTH PLAIN` before TLS: 334 = would accept a plaintext password. */
  readonly authBeforeTlsReply: number | undefined;
  readonly authAfterTls: string[];
  readonly certificate: CertificateFacts | undefined;
  readonly probes: VersionProbe[];
  readonly findings: Finding[];
  /** `undefined` when no strictmail policy can send safely to this server. */
  readonly policy: RecommendedPolicy | undefined;
}
