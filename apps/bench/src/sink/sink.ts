// What the runner needs from any sink: where it listens, how many messages it accepted so far, and a
// way to close it. Sinks run in the runner's process, so the runner's CPU time while a client process
// works is the sink's CPU time (the runner itself only waits on IPC meanwhile).
import type { SinkCounters } from './sink-session';

/** The account every sink accepts; the clients authenticate with it after STARTTLS. */
export const BENCH_CREDENTIALS = { user: 'bench', pass: 'bench-password' } as const;

export interface Sink {
  /** Short name used in tables: `fast`, `fast-data`, `smtp-server`. */
  readonly name: string;
  /** One line on what it offers and what limits it. */
  readonly description: string;
  readonly host: string;
  readonly port: number;
  /** Cumulative totals since the sink started. */
  counters(): SinkCounters;
  close(): Promise<void>;
}
