#!/usr/bin/env node
// Puts several `strictmail-mock audit` JSON reports side by side as one Markdown table (the README's
// scorecard). Usage: node compare-reports.mjs 'title=path/strictmail-audit.json' ...
import { readFileSync } from 'node:fs';

const columns = process.argv.slice(2).map((argument) => {
  const at = argument.indexOf('=');
  return { title: argument.slice(0, at), report: JSON.parse(readFileSync(argument.slice(at + 1), 'utf8')) };
});

function cell(result) {
  if (result === undefined) return 'not run';
  const leaked = [...new Set(result.leaks.map((leak) => leak.secret))];
  const did =
    result.outcome === 'hung'
      ? 'hung'
      : result.outcome === 'claimed-success'
        ? result.delivered
          ? result.authenticated
            ? 'sent'
            : 'sent without AUTH'
          : 'claimed success'
        : 'refused';
  const where = result.leaks.some((leak) => leak.channel === 'plaintext')
    ? 'in plaintext'
    : 'over untrusted TLS';
  const smuggling = [...new Set(result.smuggling.map((finding) => finding.kind))];
  const details = [
    leaked.length > 0 ? `leaked ${leaked.join(', ')} ${where}` : '',
    smuggling.length > 0 ? smuggling.join(', ') : '',
  ].filter((part) => part !== '');
  return `${result.pass ? 'pass' : '**FAIL**'}: ${did}${details.length > 0 ? `; ${details.join('; ')}` : ''}`;
}

const [first] = columns;
const rows = first.report.results.map((result) => {
  const key = `${result.scenarioId}/${result.mode}`;
  const cells = columns.map(({ report }) =>
    cell(report.results.find((other) => `${other.scenarioId}/${other.mode}` === key)),
  );
  return `| \`${result.scenarioId}\` | ${result.mode} | ${result.tier} | ${result.expectation} | ${cells.join(' | ')} |`;
});
const tiers = ['high', 'medium', 'low', 'control'].map(
  (tier) =>
    `| ${tier} | | | | ${columns.map(({ report }) => `${report.tiers[tier].passed} passed, ${report.tiers[tier].failed} failed`).join(' | ')} |`,
);
console.log(`| scenario | mode | tier | expected | ${columns.map((column) => column.title).join(' | ')} |`);
console.log(`|---|---|---|---|${columns.map(() => '---').join('|')}|`);
console.log([...rows, ...tiers].join('\n'));
console.log(
  `| **grade** | | | | ${columns.map(({ report }) => `**${report.grade.toUpperCase()}**`).join(' | ')} |`,
);
