#!/usr/bin/env node
// Puts several `strictmail-mock audit` JSON reports side by side as one Markdown table (the README's
// scorecard). Run after a build. Usage: node compare-reports.mjs 'title=path/strictmail-audit.json' ...
import { readFileSync } from 'node:fs';
import { describeResult } from '@strictmail/mock-server';

const columns = process.argv.slice(2).map((argument) => {
  const at = argument.indexOf('=');
  return { title: argument.slice(0, at), report: JSON.parse(readFileSync(argument.slice(at + 1), 'utf8')) };
});

// The cell wording is the audit's own (`describeResult`, as `strictmail-mock audit` prints it).
function cell(result) {
  if (result === undefined) return 'not run';
  return `${result.pass ? 'pass' : '**FAIL**'}: ${describeResult(result)}`;
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
