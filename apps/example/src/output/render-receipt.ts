// The TLS receipt as a user reads it: how TLS was entered, what was negotiated, what was verified and
// who decided. Rule: print what the receipt says and nothing else — never what was asked for.
import type { TlsReceipt } from '@strictmail/tls-policy';
import type { Palette } from './colour';

const ENTRY_TEXT: Record<TlsReceipt['entry'], string> = {
  'implicit-tls': 'implicit TLS (RFC 8314 §3: encrypted from the first byte)',
  starttls: 'STARTTLS (RFC 3207), then EHLO again over TLS',
};

const DECIDED_TEXT: Record<TlsReceipt['decidedBy'], string> = {
  pkix: 'PKIX: chain to a trusted root + host name',
  pin: 'SPKI pin alone (the key matched a configured pin)',
  'pkix-and-pin': 'PKIX and an SPKI pin',
  'mta-sts': 'PKIX, with the MX named by an MTA-STS policy',
};

function check(palette: Palette, value: boolean, yes: string, no: string): string {
  return value ? palette.ok(`✔ ${yes}`) : palette.warn(`– ${no}`);
}

/** Lines (indented by `indent`) describing `receipt`. */
export function renderReceipt(receipt: TlsReceipt, palette: Palette, indent = '  '): string[] {
  const row = (label: string, value: string): string => `${indent}${palette.dim(label.padEnd(12))}${value}`;
  return [
    row('entry', ENTRY_TEXT[receipt.entry]),
    row('protocol', `${palette.bold(receipt.protocol)}  ${receipt.cipher}`),
    row('server name', receipt.serverName),
    row(
      'verified',
      `${check(palette, receipt.chainVerified, 'chain', 'chain not checked')}  ${check(
        palette,
        receipt.hostnameVerified,
        'host name',
        'host name not checked',
      )}`,
    ),
    row('decided by', DECIDED_TEXT[receipt.decidedBy]),
    row('certificate', `${receipt.subject}  ${palette.dim(`issued by ${receipt.issuer}`)}`),
    row('valid', `${receipt.validFrom} → ${receipt.validTo}`),
    row('SPKI pin', palette.code(receipt.leafSpkiSha256)),
    row('resumed', receipt.resumed ? 'yes (abbreviated handshake)' : 'no (full handshake)'),
  ];
}
