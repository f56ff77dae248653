// The messages between the runner and a client process (Node IPC, structured clone). The child
// warms up, says `ready`; the runner snapshots the sink's counters and CPU and answers `go`; the child
// runs the measured part and answers `result`. A client that is not built yet answers `unavailable`.
import type { ClientSpec } from '../clients/client-specs';

export interface JobTarget {
  readonly host: string;
  readonly port: number;
  /** PEM of the run's CA: the only root the client trusts. */
  readonly caPem: string;
  readonly user: string;
  readonly pass: string;
}

export type JobWork =
  /** Many small messages; `inFlight` sends are outstanding at once (1 = one after another). */
  | {
      readonly type: 'batch';
      readonly messages: number;
      readonly warmupMessages: number;
      readonly recipients: number;
      readonly messageBytes: number;
      readonly inFlight: number;
    }
  /** One large message streamed from a generator; the client's peak RSS before and after. */
  | { readonly type: 'large'; readonly messageBytes: number }
  /** A fresh client per send: connect, STARTTLS, AUTH, one message, close; `iterations` timed. */
  | { readonly type: 'cold'; readonly iterations: number; readonly warmupIterations: number }
  /** Start and stop a TLS mock server from @strictmail/mock-server `iterations` times after a first. */
  | { readonly type: 'harness'; readonly iterations: number };

export interface Job {
  readonly client: ClientSpec;
  readonly target: JobTarget;
  readonly work: JobWork;
}

export interface JobResult {
  /** Wall time of the measured part, in milliseconds. */
  readonly wallMs: number;
  /** CPU time (user + system) of the client process during the measured part, in milliseconds. */
  readonly cpuMs: number;
  /** The client process's peak resident set size over its life, in kilobytes. */
  readonly maxRssKb: number;
  /** Peak RSS just before the measured part (after warm-up), in kilobytes. */
  readonly maxRssBeforeKb: number;
  /** Messages (or operations) in the measured part. */
  readonly operations: number;
  /** Per-operation times for `cold` and `harness`, in milliseconds. */
  readonly samplesMs: readonly number[];
  /**
   * For `large`: the highest JS heap and ArrayBuffer (Buffer) memory seen while the message was sent,
   * sampled every few milliseconds, in megabytes. Says whether added RSS is JS objects or byte buffers.
   */
  readonly memoryPeakMb?: { readonly heapUsed: number; readonly arrayBuffers: number };
}

export type ChildMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly result: JobResult }
  | { readonly type: 'unavailable'; readonly reason: string }
  | { readonly type: 'failed'; readonly message: string };

export type ParentMessage = { readonly type: 'job'; readonly job: Job } | { readonly type: 'go' };
