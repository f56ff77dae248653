// The human rendering of a `check` report: what the server offers, the probes, the findings by level,
// and the policy to copy. Rule: reads only the report, so the text and `--json` always agree.
import { isIP } from 'node:net';
import type { Palette } from '../output/colour';
import { renderReceipt } from '../output/render-receipt';
import type { CheckReport, FindingLevel } from './check-report';

function levelMark(level: FindingLevel, palette: Palette): string {
  switch (level) {
    case 'ok':
      return palette.ok('✔');
    case 'info':
      return palette.dim('ℹ');
    case 'warn':
      return palette.warn('⚠');
    case 'fail':
      return palette.bad('✖');
  }
}

function list(values: readonly string[] | undefined): string {
  if (values === undefined) return '(not reached)';
  return values.length === 0 ? 'none' : values.join(', ');
}

export function renderCheckReport(report: CheckReport, palette: Palette): string[] {
  const lines: string[] = [];
  const row = (label: string, value: string): void => {
    lines.push(`  ${palette.dim(label.padEnd(14))}${value}`);
  };
  lines.push(
    palette.heading(
      `strictmail check ${isIP(report.host) === 6 ? `[${report.host}]` : report.host}:${report.port}`,
    ),
  );
  const entry = { 'implicit-tls': 'implicit TLS', starttls: 'STARTTLS', none: palette.bad('no usable TLS') }[
    report.entry
  ];
  row('TLS entry', entry);
  if (report.greeting !== undefined) row('greeting', JSON.stringify(report.greeting));
  if (report.capabilitiesBeforeTls !== undefined) {
    row('before TLS', `EHLO ${list(report.capabilitiesBeforeTls)}`);
    row('AUTH pre-TLS', list(report.authBeforeTls));
  }
  if (report.capabilitiesAfterTls !== undefined) {
    row('after TLS', `EHLO ${list(report.capabilitiesAfterTls)}`);
    row('AUTH over TLS', list(report.authAfterTls));
  }
  const certificate = report.certificate;
  if (certificate !== undefined) {
    lines.push('', palette.heading('Certificate chain (as presented)'));
    certificate.chain.forEach((entry, index) => {
      lines.push(`  ${index}. ${entry.subject}  ${palette.dim(`(${entry.key})`)}`);
      lines.push(
        `     ${palette.dim(`issued by ${entry.issuer}; valid ${entry.validFrom} → ${entry.validTo}`)}`,
      );
    });
    row('names', certificate.subjectAltName ?? '(no subjectAltName)');
    row('SPKI pin', palette.code(certificate.leafSpkiSha256));
  }
  if (report.probes.length > 0) {
    lines.push('', palette.heading('TLS handshakes'));
    for (const probe of report.probes) {
      const mark = probe.accepted ? palette.ok('accepted') : palette.dim('refused ');
      const detail = probe.accepted
        ? `${probe.protocol ?? ''} ${probe.cipher ?? ''}`
        : (probe.errorCode ?? '');
      lines.push(`  ${probe.version.padEnd(20)} ${mark}  ${detail}  ${palette.dim(`(${probe.method})`)}`);
    }
  }
  lines.push('', palette.heading('Findings'));
  for (const finding of report.findings) lines.push(`  ${levelMark(finding.level, palette)} ${finding.text}`);
  lines.push('');
  if (report.policy === undefined) {
    lines.push(palette.bad('No strictmail policy can send to this server safely.'));
    return lines;
  }
  lines.push(palette.heading('The strictmail policy that works (confirmed by a judged handshake)'));
  lines.push(`  ${palette.code(report.policy.code)}`);
  lines.push(`  ${palette.dim('strictmail-example send')} ${report.policy.sendFlags}`);
  lines.push('', palette.heading('Receipt of that handshake'));
  lines.push(...renderReceipt(report.policy.receipt, palette));
  return lines;
}
