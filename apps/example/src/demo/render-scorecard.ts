// The scorecard as a table a terminal (and the README) can show: scenario, mode, risk tier, then one
// column per client. Rule: the text is readable without colour; colour only repeats what ✔ and ✖ say.
import type { Palette } from '../output/colour';
import type { Scorecard } from './scorecard';

const SCENARIO_WIDTH = 27;
const MODE_WIDTH = 9;
const TIER_WIDTH = 8;
const STRICTMAIL_WIDTH = 38;
const CLIENT_WIDTH = 22;

export function renderScorecard(scorecard: Scorecard, palette: Palette): string[] {
  const widths = scorecard.clients.map((client) =>
    client.id === 'strictmail' ? STRICTMAIL_WIDTH : CLIENT_WIDTH,
  );
  const header =
    'scenario'.padEnd(SCENARIO_WIDTH) +
    'mode'.padEnd(MODE_WIDTH) +
    'risk'.padEnd(TIER_WIDTH) +
    scorecard.clients.map((client, index) => client.label.padEnd(widths[index] ?? CLIENT_WIDTH)).join('');
  const lines = [palette.bold(header.trimEnd())];
  for (const row of scorecard.rows) {
    const cells = scorecard.clients.map((client, index) => {
      const cell = row.cells[client.id];
      const width = widths[index] ?? CLIENT_WIDTH;
      if (cell === undefined) return ''.padEnd(width);
      const code =
        client.id === 'strictmail' && cell.errorCode !== undefined && cell.pass ? ` ${cell.errorCode}` : '';
      const text = `${cell.pass ? '✔' : '✖'} ${cell.text}${code}`.slice(0, width - 1).padEnd(width);
      return cell.pass ? palette.ok(text) : palette.bad(text);
    });
    lines.push(
      `${row.scenarioId.padEnd(SCENARIO_WIDTH).slice(0, SCENARIO_WIDTH)}${row.mode.padEnd(MODE_WIDTH)}${row.tier.padEnd(
        TIER_WIDTH,
      )}${cells.join('')}`.trimEnd(),
    );
  }
  lines.push('');
  for (const total of scorecard.totals) {
    const all = total.passed === total.total;
    const score = `${total.passed}/${total.total} passed`;
    const leaks =
      total.leakingRuns === 0
        ? 'nothing leaked'
        : `leaked secrets in ${total.leakingRuns} run(s), the password in ${total.passwordLeaks}`;
    const grade = `audit grade: ${total.grade ?? 'none'}`;
    lines.push(
      `  ${total.label.padEnd(24)}${all ? palette.ok(score) : palette.bad(score)}  ·  ${
        total.leakingRuns === 0 ? palette.ok(leaks) : palette.bad(leaks)
      }  ·  ${total.grade === 'pass' ? palette.ok(grade) : palette.bad(grade)}`,
    );
  }
  return lines;
}
