// The audit report as text for a terminal: one row per scenario run (outcome and leaks), one row per
// tier, and the grade. Plain ASCII columns, no colour, so it reads the same in a CI log.
import type { RiskTier } from '../attacks/scenario-types';
import type { AuditReport, AuditResult } from './run-audit';

const TIERS: readonly RiskTier[] = ['high', 'medium', 'low', 'control'];

/** What the client did, in a few words. */
export function describeResult(result: AuditResult): string {
  const did =
    result.outcome === 'hung'
      ? 'hung (killed)'
      : result.outcome === 'claimed-success'
        ? result.delivered
          ? result.authenticated
            ? 'sent'
            : 'sent without AUTH'
          : 'claimed success'
        : result.delivered
          ? 'refused after sending'
          : 'refused';
  const leaked = [
    ...new Set(
      result.leaks.map((leak) => `${leak.secret}${leak.channel === 'plaintext' ? '' : ' (untrusted TLS)'}`),
    ),
  ];
  const smuggling = [...new Set(result.smuggling.map((finding) => finding.kind))];
  return [
    did,
    leaked.length > 0 ? `leaked ${leaked.join(', ')}` : '',
    result.untrustedTlsBytes > 0 && leaked.length === 0 ? 'used the untrusted TLS session' : '',
    smuggling.length > 0 ? `data phase: ${smuggling.join(', ')}` : '',
  ]
    .filter((part) => part !== '')
    .join('; ');
}

function table(rows: readonly (readonly string[])[]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  '),
    )
    .join('\n');
}

export function formatScorecard(report: AuditReport): string {
  const scenarioRows = [
    ['scenario', 'mode', 'tier', 'expected', 'result', 'what the client did'],
    ...report.results.map((result) => [
      result.scenarioId,
      result.mode,
      result.tier,
      result.expectation,
      result.pass ? 'PASS' : 'FAIL',
      describeResult(result),
    ]),
  ];
  const tierRows = [
    ['tier', 'passed', 'failed'],
    ...TIERS.map((tier) => [tier, String(report.tiers[tier].passed), String(report.tiers[tier].failed)]),
  ];
  return [
    `strictmail-mock audit of: ${report.client}`,
    '',
    table(scenarioRows),
    '',
    table(tierRows),
    '',
    `grade: ${report.grade.toUpperCase()} - ${report.summary} (${(report.durationMs / 1000).toFixed(1)} s)`,
  ].join('\n');
}
