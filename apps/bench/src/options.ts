// Command-line options of the bench runner and the sizes of each mode. Quick mode (the default) takes
// about a minute on 2 cores; `--full` repeats more and sends more, for figures worth publishing.

export interface BenchOptions {
  readonly mode: 'quick' | 'full';
  /** Repetitions of each measurement (each one a fresh process per client). */
  readonly repetitions: number;
  /** Messages per throughput run with a pool, and without one (one TLS handshake per message). */
  readonly batchMessages: number;
  readonly unpooledMessages: number;
  /** Messages per five-recipient run. */
  readonly fiveRecipientMessages: number;
  /** Size of the streamed message in bytes. */
  readonly largeMessageBytes: number;
  readonly coldIterations: number;
  /** Messages on a warm connection per round-trip run, and the proxy delay. */
  readonly roundTripMessages: number;
  readonly roundTripDelayMs: number;
  /** Repetitions of each pair of runs behind the proxy (each pair is two fresh processes). */
  readonly proxyRepetitions: number;
  readonly harnessIterations: number;
  /** Only run workloads whose name contains one of these (empty: all). */
  readonly only: readonly string[];
  /** Only run clients whose id contains one of these (empty: all), e.g. `strictmail-core`. */
  readonly clients: readonly string[];
  /** Profile the strictmail client of each missed target with --cpu-prof. */
  readonly profile: boolean;
}

const QUICK: BenchOptions = {
  mode: 'quick',
  repetitions: 3,
  batchMessages: 1000,
  unpooledMessages: 150,
  fiveRecipientMessages: 300,
  largeMessageBytes: 50 * 1024 * 1024,
  coldIterations: 30,
  roundTripMessages: 40,
  roundTripDelayMs: 20,
  proxyRepetitions: 1,
  harnessIterations: 30,
  only: [],
  clients: [],
  profile: false,
};

const FULL: BenchOptions = {
  ...QUICK,
  mode: 'full',
  repetitions: 7,
  batchMessages: 5000,
  unpooledMessages: 500,
  fiveRecipientMessages: 1000,
  coldIterations: 100,
  roundTripMessages: 100,
  proxyRepetitions: 3,
  harnessIterations: 100,
};

export const USAGE = `usage: npm run bench [-- --full] [-- --only=<workload>[,<workload>]] [-- --profile]
  --full       more repetitions and messages (several minutes)
  --only=a,b   run only workloads whose name contains a or b (throughput, recipients, large, cold, round-trips, harness)
  --clients=a,b  run only clients whose id contains a or b (nodemailer-pool-4, strictmail-core-pool-1, strictmail-nodemailer, ...)
  --profile    re-run the strictmail client of each missed target under --cpu-prof and summarise it`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  let options = QUICK;
  for (const argument of argv) {
    if (argument === '--') continue;
    const chosen = { only: options.only, clients: options.clients, profile: options.profile };
    if (argument === '--full') options = { ...FULL, ...chosen };
    else if (argument === '--quick') options = { ...QUICK, ...chosen };
    else if (argument === '--profile') options = { ...options, profile: true };
    else if (argument.startsWith('--only=')) {
      options = { ...options, only: argument.slice('--only='.length).split(',').filter(Boolean) };
    } else if (argument.startsWith('--clients=')) {
      options = { ...options, clients: argument.slice('--clients='.length).split(',').filter(Boolean) };
    } else {
      throw new RangeError(`unknown argument ${JSON.stringify(argument)}\n${USAGE}`);
    }
  }
  return options;
}
