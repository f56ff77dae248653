// Which strictmail policy to configure for a checked server, as data and as code to copy. Rule: the
// recommendation is only ever a policy that a judged handshake has just accepted; verification is
// never turned off — a server whose certificate cannot be verified gets a key pin instead (RFC 7469
// §2.4 format), which authenticates exactly that key.
import {
  implicitTls,
  requireStarttls,
  type TlsCapablePolicy,
  type TlsReceipt,
  type TlsVersion,
  type TrustOptions,
} from '@strictmail/tls-policy';
import type { RecommendedPolicy } from './check-report';

export interface CandidateTrust {
  readonly pins?: string[];
  readonly pinsOnly?: boolean;
  readonly serverName?: string;
}

export function candidatePolicy(
  entry: 'implicit-tls' | 'starttls',
  trust: CandidateTrust,
  ca: readonly string[] | undefined,
  minVersion: TlsVersion = 'TLSv1.2',
): TlsCapablePolicy {
  const options: TrustOptions = { ...trust, minVersion, ...(ca === undefined ? {} : { ca }) };
  return entry === 'implicit-tls' ? implicitTls(options) : requireStarttls(options);
}

function optionsCode(trust: CandidateTrust, needsCaFile: boolean): string {
  const parts: string[] = [];
  if (needsCaFile) parts.push("ca: readFileSync('ca.pem', 'utf8')");
  if (trust.pins !== undefined) parts.push(`pins: [${trust.pins.map((pin) => `'${pin}'`).join(', ')}]`);
  if (trust.pinsOnly === true) parts.push('pinsOnly: true');
  if (trust.serverName !== undefined) parts.push(`serverName: '${trust.serverName}'`);
  return parts.length === 0 ? '' : `{ ${parts.join(', ')} }`;
}

function sendFlags(
  host: string,
  port: number,
  entry: string,
  trust: CandidateTrust,
  needsCaFile: boolean,
): string {
  const flags = [
    `--host ${host}`,
    `--port ${port}`,
    `--security ${entry === 'implicit-tls' ? 'implicit' : 'starttls'}`,
  ];
  if (needsCaFile) flags.push('--ca ca.pem');
  for (const pin of trust.pins ?? []) flags.push(`--pin ${pin}`);
  if (trust.pinsOnly === true) flags.push('--pins-only');
  if (trust.serverName !== undefined) flags.push(`--servername ${trust.serverName}`);
  return flags.join(' ');
}

export function recommendPolicy(
  host: string,
  port: number,
  entry: 'implicit-tls' | 'starttls',
  trust: CandidateTrust,
  needsCaFile: boolean,
  receipt: TlsReceipt,
): RecommendedPolicy {
  const constructorName = entry === 'implicit-tls' ? 'implicitTls' : 'requireStarttls';
  return {
    code: `${constructorName}(${optionsCode(trust, needsCaFile)})`,
    constructorName,
    options: trust,
    needsCaFile,
    sendFlags: sendFlags(host, port, entry, trust, needsCaFile),
    receipt,
  };
}
