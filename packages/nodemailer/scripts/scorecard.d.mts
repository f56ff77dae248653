// Types of scorecard.mjs, for the test that runs the catalogue against this transport's sources.
export declare const CLIENT_TIMEOUT_MS: number;
export declare const SCENARIO_DEADLINE_MS: number;

export interface ScorecardVerdict {
  readonly scenarioId: string;
  readonly pass: boolean;
  readonly expectation: 'must-refuse' | 'must-succeed';
  readonly outcome: 'claimed-success' | 'refused' | 'hung';
  readonly reasons: readonly string[];
  readonly leaks: readonly { readonly secret: string }[];
  readonly delivered: boolean;
}

export interface ScorecardResult {
  readonly verdict: ScorecardVerdict;
  readonly error: (Error & { code?: string; strictmailCode?: string }) | undefined;
}

export interface ScorecardRow {
  readonly scenario: { readonly id: string; readonly tier: string; readonly expectation: string };
  readonly mode: 'starttls' | 'implicit';
  readonly results: Readonly<Record<string, ScorecardResult>>;
}

export interface Scorecard {
  readonly clients: readonly { readonly id: string; readonly title: string }[];
  readonly rows: readonly ScorecardRow[];
}

export interface ScorecardDependencies {
  readonly nodemailer: unknown;
  readonly strictmail: unknown;
  readonly listScenarios: () => readonly unknown[];
  readonly startScenario: (id: string, options: { mode: 'starttls' | 'implicit' }) => Promise<unknown>;
}

export declare function runCatalogue(
  dependencies: ScorecardDependencies,
  options?: { readonly clientIds?: readonly string[]; readonly scenarioIds?: readonly string[] },
): Promise<Scorecard>;

export declare function formatScorecard(scorecard: Scorecard): string;
