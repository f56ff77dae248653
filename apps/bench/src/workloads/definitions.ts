// The workloads as the report describes them: title, what each does and what limits its figures, and
// the columns of its table. The code that runs them is in workloads.ts.
import type { WorkloadDefinition } from './results';

export const WORKLOADS: Record<string, WorkloadDefinition> = {
  throughput: {
    id: 'throughput',
    title: 'Throughput: 2 KB messages, one recipient',
    description:
      "Each client sends a batch of 2 KB messages to one recipient on warm connections (a warm-up batch first); pooled clients keep 256 sends outstanding, the unpooled one sends one after another with a TLS handshake per message. The Mail-layer row is not a client: it is nodemailer's `sendMail` with a transport that only reads the compiled message, i.e. the floor of any nodemailer transport. Limited by client CPU and by the pipeline depth on the fast sink (its CPU is shown beside), and by the sink on smtp-server.",
    columns: [
      'messagesPerSecond',
      'clientCpuMsPerMessage',
      'sinkCpuMsPerMessage',
      'clientBusyPercent',
      'sinkBusyPercent',
      'peakRssMb',
    ],
  },
  'five-recipients': {
    id: 'five-recipients',
    title: 'Five recipients: 2 KB messages, five RCPT TO each',
    description:
      'Like the throughput workload with five recipients per message: shows the cost of RCPT round trips when a client does not pipeline them (RFC 2920).',
    columns: [
      'messagesPerSecond',
      'clientCpuMsPerMessage',
      'sinkCpuMsPerMessage',
      'clientBusyPercent',
      'sinkBusyPercent',
      'peakRssMb',
    ],
  },
  'large-message': {
    id: 'large-message',
    title: 'One 50 MB message, streamed',
    description:
      'One message generated chunk by chunk (64 KiB reads of one reused buffer) and handed to the client as a stream after a 2 KB warm-up message. "RSS added" is the peak RSS after the send minus the peak before it; peak JS heap and Buffer memory are sampled every 5 ms during the send and say which kind of memory grew. Limited by TLS encryption and copying on the client.',
    columns: [
      'seconds',
      'megabytesPerSecond',
      'rssAddedMb',
      'peakRssMb',
      'peakHeapMb',
      'peakArrayBuffersMb',
      'clientCpuMs',
      'sinkCpuMs',
    ],
  },
  cold: {
    id: 'cold',
    title: 'Cold send: connect + STARTTLS + AUTH + one message + close',
    description:
      'A fresh client per send, in a warm process (a few untimed sends first); latency over all timed sends. On loopback a round trip costs microseconds, so the loopback latency is limited by the TLS handshake (CPU on both sides) and by process scheduling. The same sends behind the delay proxy show latency over a network with a 20 ms round trip, where round trips dominate; round trips per send come from the fastest send of each run (noise only adds time).',
    columns: ['latencyMs', 'latencyDelayedMs', 'roundTripsPerSend', 'clientCpuMsPerSend', 'sinkCpuMsPerSend'],
  },
  'round-trips': {
    id: 'round-trips',
    title: 'Round trips per message on a warm connection',
    description:
      'A pool of one connection sends messages through a proxy that holds every server-to-client chunk for a fixed delay, and again through the same proxy with no delay; round trips per message = extra wall time / (delay x messages). Resolution about ±0.02.',
    columns: ['roundTripsPerMessage'],
  },
  harness: {
    id: 'harness',
    title: 'Harness: start and stop of a TLS mock server',
    description:
      '`createMockSmtpServer({ mode: "starttls" })` and its close, repeated in one process after a first one (which pays certificate generation). Limited by key parsing for the TLS context and listen/close syscalls.',
    columns: ['startStopMs'],
  },
};
