// `strictmail-example check HOST[:PORT]`: inspect a submission server before configuring strictmail
// for it. Without a port, both submission ports are checked: 465 (implicit TLS, RFC 8314 §3.3) and
// 587 (STARTTLS, RFC 6409). Exit 0 when a strictmail policy was confirmed by a judged handshake.
//
// Copy this to check a server from your own code:
//   const report = await runCheck({ host: 'smtp.example.com', port: 587 });
//   console.log(report.policy?.code); // e.g. "requireStarttls()"
import { isIP } from 'node:net';
import { ConfigurationError } from '@strictmail/tls-policy';
import { IMPLICIT_TLS_SUBMISSION_PORT, STARTTLS_SUBMISSION_PORT } from '@strictmail/tls-policy/node';
import { renderCheckReport } from '../check/render-check-report';
import { runCheck } from '../check/run-check';
import {
  type Command,
  EXIT_FAILED,
  EXIT_OK,
  type ParsedArguments,
  readTextFile,
  stringList,
  stringValue,
} from '../command';

const HELP = `Usage: strictmail-example check HOST[:PORT] [options]

Inspects an SMTP submission server the way you would before configuring it:
  - implicit TLS or STARTTLS, and AUTH mechanisms offered before and after TLS
  - TLS 1.3 and TLS 1.2 probed separately, exactly as strictmail connects (verified, judged)
  - TLS 1.0/1.1 and weak TLS 1.2 suites the server would still accept (inspection only)
  - the certificate chain, the host name check, the expiry, and the key's SPKI SHA-256 pin
  - the strictmail policy that works, with the pin to use for a self-signed server
Without a port, ports ${IMPLICIT_TLS_SUBMISSION_PORT} (implicit TLS) and ${STARTTLS_SUBMISSION_PORT} (STARTTLS) are both checked.

Options:
  --ca FILE           trust this PEM CA instead of the system roots (repeatable)
  --servername NAME   the name the certificate must carry, if not HOST
  --timeout MS        deadline of each step (default 10000)
  --json              print the report as JSON
  --no-color          plain text

Exit status: 0 if a strictmail policy works, 1 if none does, 2 on bad usage.`;

/** `host`, `host:587`, `127.0.0.1:2525`, `[::1]:2525`; a bare IPv6 literal has no port. */
export function parseTarget(text: string): { host: string; port: number | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([^:[\]]+)(?::(\d+))?$/.exec(text);
  const match = bracketed ?? plain;
  if (match === null) {
    if (isIP(text) === 6) return { host: text, port: undefined };
    throw new ConfigurationError(
      'INVALID_OPTION',
      `check: ${JSON.stringify(text)} is not HOST or HOST:PORT.`,
    );
  }
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65_535)) {
    throw new ConfigurationError('INVALID_OPTION', `check: port ${match[2]} is not between 1 and 65535.`);
  }
  return { host: match[1] as string, port };
}

/** `host:port`, with an IPv6 literal in brackets (RFC 3986 §3.2.2). */
export function hostAndPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

async function run(parsed: ParsedArguments, context: Parameters<Command['run']>[1]): Promise<number> {
  const { output } = context;
  const targetText = parsed.positionals[0];
  if (targetText === undefined || parsed.positionals.length > 1) {
    throw new ConfigurationError('INVALID_OPTION', 'check: expected exactly one HOST[:PORT]. See --help.');
  }
  const { host, port } = parseTarget(targetText);
  const caFiles = stringList(parsed, 'ca');
  const ca =
    caFiles.length === 0 ? undefined : caFiles.map((file) => readTextFile(file, 'the CA file', 'check'));
  const timeoutText = stringValue(parsed, 'timeout');
  const timeoutMs = timeoutText === undefined ? undefined : Number(timeoutText);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `check: --timeout ${timeoutText} is not a positive integer.`,
    );
  }
  const ports = port === undefined ? [IMPLICIT_TLS_SUBMISSION_PORT, STARTTLS_SUBMISSION_PORT] : [port];
  const reports = [];
  for (const each of ports) {
    const report = await runCheck({
      host,
      port: each,
      ca,
      serverName: stringValue(parsed, 'servername'),
      timeoutMs,
      onProgress: (step) => output.progress(`${hostAndPort(host, each)}: ${step}…`),
    });
    output.endProgress();
    reports.push(report);
    if (reports.length > 1) output.line();
    for (const line of renderCheckReport(report, output.palette)) output.line(line);
  }
  output.result(port === undefined ? { reports } : reports[0]);
  return reports.some((report) => report.policy !== undefined) ? EXIT_OK : EXIT_FAILED;
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'inspect a submission server and print the strictmail policy that works',
  help: HELP,
  options: {
    ca: { type: 'string', multiple: true },
    servername: { type: 'string' },
    timeout: { type: 'string' },
  },
  run,
};
