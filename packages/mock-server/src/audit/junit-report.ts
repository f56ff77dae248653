// The audit report as JUnit XML, the format every CI system displays: one <testsuite> per risk tier,
// one <testcase> per scenario run, a <failure> with the reasons for each failed run and the client's
// output in <system-out>.
import type { RiskTier } from '../attacks/scenario-types';
import type { AuditReport, AuditResult } from './run-audit';

const TIERS: readonly RiskTier[] = ['high', 'medium', 'low', 'control'];

/** XML 1.0 text: escapes markup and drops characters XML cannot carry (control characters). */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function seconds(ms: number | undefined): string {
  return ((ms ?? 0) / 1000).toFixed(3);
}

function testcase(result: AuditResult): string {
  const name = `${result.scenarioId} (${result.mode})`;
  const open = `    <testcase classname="strictmail-mock.${result.tier}" name="${escapeXml(name)}" time="${seconds(result.durationMs)}">`;
  const parts = [open];
  if (!result.pass) {
    const message = result.reasons.join('; ');
    parts.push(
      `      <failure type="${result.expectation}" message="${escapeXml(message)}">${escapeXml(result.reasons.join('\n'))}</failure>`,
    );
  }
  if (result.output !== undefined && result.output !== '') {
    parts.push(`      <system-out>${escapeXml(result.output)}</system-out>`);
  }
  parts.push('    </testcase>');
  return parts.join('\n');
}

export function formatJunit(report: AuditReport): string {
  const suites = TIERS.map((tier) => {
    const results = report.results.filter((result) => result.tier === tier);
    const failures = results.filter((result) => !result.pass).length;
    const time = results.reduce((total, result) => total + (result.durationMs ?? 0), 0);
    return [
      `  <testsuite name="${tier}" tests="${results.length}" failures="${failures}" errors="0" time="${seconds(time)}">`,
      ...results.map(testcase),
      '  </testsuite>',
    ].join('\n');
  });
  const failures = report.results.filter((result) => !result.pass).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="strictmail-mock audit: ${escapeXml(report.client)}" tests="${report.results.length}" failures="${failures}" time="${seconds(report.durationMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
