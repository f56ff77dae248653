// The side-by-side scorecard, as data: one row per scenario and mode, one cell per client, and totals.
// Rule: a cell's words are derived from the audit's verdict only (pass, outcome, leaks, untrusted TLS
// bytes, delivery), worst finding first, so "refused" never hides a leak that happened before it.
import type { ScenarioVerdict } from '@strictmail/mock-server';
import type { DemoClient } from './demo-clients';
import type { CatalogueRun, ClientAudit } from './run-catalogue';

export interface ScorecardCell {
  readonly pass: boolean;
  /** A few words: `refused`, `delivered`, `password in clear`, `sent to bad TLS`, ... */
  readonly text: string;
  readonly errorCode: string | undefined;
  readonly reasons: readonly string[];
}

export interface ScorecardRow {
  readonly scenarioId: string;
  readonly title: string;
  readonly tier: ScenarioVerdict['tier'];
  readonly expectation: ScenarioVerdict['expectation'];
  readonly mode: ScenarioVerdict['mode'];
  readonly cells: Readonly<Record<string, ScorecardCell>>;
}

export interface ClientTotals {
  readonly clientId: DemoClient['id'];
  readonly label: string;
  readonly passed: number;
  readonly total: number;
  /** Runs in which the password crossed the wire in plaintext or to an endpoint it had to refuse. */
  readonly passwordLeaks: number;
  /** Runs in which any secret (password, user, envelope, body) leaked. */
  readonly leakingRuns: number;
  /** The audit's grade: `fail` when a high-risk scenario failed, `inconclusive` when a control did. */
  readonly grade: ClientAudit['grade'] | undefined;
  readonly gradeSummary: string | undefined;
}

export interface Scorecard {
  readonly clients: readonly { readonly id: DemoClient['id']; readonly label: string }[];
  readonly rows: readonly ScorecardRow[];
  readonly totals: readonly ClientTotals[];
}

function cellText(verdict: ScenarioVerdict): string {
  const plaintext = verdict.leaks.some((leak) => leak.channel === 'plaintext');
  const where = plaintext ? 'in clear' : 'to bad TLS';
  if (verdict.leaks.some((leak) => leak.secret === 'password')) return `password ${where}`;
  if (verdict.leaks.length > 0) return `mail ${where}`;
  if (verdict.untrustedTlsBytes > 0) return 'talked to bad TLS';
  if (verdict.outcome === 'hung') return 'hung';
  if (verdict.expectation === 'must-refuse') {
    if (verdict.outcome === 'claimed-success' || verdict.delivered) return 'sent anyway';
    return 'refused';
  }
  if (verdict.pass) return 'delivered';
  if (verdict.outcome !== 'claimed-success') return 'failed to send';
  return verdict.smuggling.length > 0 ? 'smuggling-unsafe' : 'not delivered';
}

export function buildScorecard(
  clients: readonly DemoClient[],
  runs: readonly CatalogueRun[],
  audits: readonly ClientAudit[],
): Scorecard {
  const rows = new Map<string, { row: Omit<ScorecardRow, 'cells'>; cells: Record<string, ScorecardCell> }>();
  for (const run of runs) {
    const { verdict } = run;
    const key = `${verdict.scenarioId}/${verdict.mode}`;
    let entry = rows.get(key);
    if (entry === undefined) {
      entry = {
        row: {
          scenarioId: verdict.scenarioId,
          title: verdict.title,
          tier: verdict.tier,
          expectation: verdict.expectation,
          mode: verdict.mode,
        },
        cells: {},
      };
      rows.set(key, entry);
    }
    entry.cells[run.clientId] = {
      pass: verdict.pass,
      text: cellText(verdict),
      errorCode: run.errorCode,
      reasons: verdict.reasons,
    };
  }
  const totals = clients.map((client): ClientTotals => {
    const own = runs.filter((run) => run.clientId === client.id);
    const audit = audits.find((entry) => entry.clientId === client.id);
    return {
      grade: audit?.grade,
      gradeSummary: audit?.summary,
      clientId: client.id,
      label: client.label,
      passed: own.filter((run) => run.verdict.pass).length,
      total: own.length,
      passwordLeaks: own.filter((run) => run.verdict.leaks.some((leak) => leak.secret === 'password')).length,
      leakingRuns: own.filter((run) => run.verdict.leaks.length > 0).length,
    };
  });
  return {
    clients: clients.map((client) => ({ id: client.id, label: client.label })),
    rows: [...rows.values()].map((entry) => ({ ...entry.row, cells: entry.cells })),
    totals,
  };
}
