// `strictmail-example demo`: the offline tour. (1) a real message over verified STARTTLS and (2) over
// implicit TLS, to the embedded mock server, with the TLS receipt and what the server received; then
// (3) the attack catalogue of @strictmail/mock-server against strictmail and against nodemailer's own
// SMTP transport (defaults, and requireTLS), judged by the mock server, as a side-by-side scorecard.
// Exit 0 when both sends succeeded and strictmail passed every scenario without leaking anything.
import {
  type Command,
  type CommandContext,
  EXIT_FAILED,
  EXIT_OK,
  type ParsedArguments,
  stringList,
} from '../command';
import { renderScorecard } from '../demo/render-scorecard';
import { buildScorecard } from '../demo/scorecard';
import type { VerifiedSend } from '../demo/verified-sends';
import type { Output } from '../output/output';
import { renderReceipt } from '../output/render-receipt';

const HELP = `Usage: strictmail-example demo [options]

Runs entirely offline, on 127.0.0.1 with certificates generated for this run:
  1. sends a real message with nodemailer + strictmail over verified STARTTLS, and
  2. over implicit TLS, printing the TLS receipt and what the mock server received;
  3. plays the attack catalogue of @strictmail/mock-server (STARTTLS stripping, forged replies,
     injected bytes, bad certificates, legacy TLS, AUTH lures, SMTP smuggling, controls) against
     strictmail, nodemailer with default options, and nodemailer with requireTLS, and prints
     the scorecard the mock server measured.

Options:
  --scenario ID   run only this scenario of the catalogue (repeatable)
  --json          print everything as one JSON document
  --no-color      plain text

Exit status: 0 when both sends succeeded and strictmail passed every scenario, 1 otherwise.`;

function showSend(output: Output, heading: string, send: VerifiedSend): void {
  const { palette } = output;
  const row = (label: string, value: string): void =>
    output.line(`  ${palette.dim(label.padEnd(12))}${value}`);
  output.line(palette.heading(heading));
  row('policy', palette.code(send.policy));
  row(
    'accepted',
    `${palette.ok('✔')} ${send.client.accepted.join(', ')}  ${palette.dim(send.client.response)}`,
  );
  output.line(`  ${palette.bold('TLS receipt')} ${palette.dim('(what the client negotiated and verified)')}`);
  if (send.client.tls === null) output.line(palette.bad('    none'));
  else for (const line of renderReceipt(send.client.tls, palette, '    ')) output.line(line);
  output.line(`  ${palette.bold('Received by the mock server')}`);
  const inner = (label: string, value: string): void =>
    output.line(`    ${palette.dim(label.padEnd(12))}${value}`);
  inner('envelope', `${send.server.from} → ${send.server.to.join(', ')}`);
  inner('AUTH user', send.server.user ?? 'none');
  inner(
    'its TLS',
    send.server.tls === null
      ? palette.bad('none')
      : `${send.server.tls.entry} ${send.server.tls.protocol} ${send.server.tls.cipher}`,
  );
  if (send.entry === 'starttls') inner('before TLS', send.server.commandsBeforeTls.join(' → '));
  inner(send.entry === 'starttls' ? 'inside TLS' : 'commands', send.server.commandsInsideTls.join(' → '));
  inner('subject', send.server.subject ?? '');
  inner('text', (send.server.text ?? '').trim());
  output.line();
}

async function run(parsed: ParsedArguments, { output, signal }: CommandContext): Promise<number> {
  // Loaded on demand: the mock server (and its certificate and MIME libraries) is for the demo only,
  // so `send` and `check` start without it.
  const { runVerifiedSends } = await import('../demo/verified-sends');
  const { runCatalogue, validateScenarioIds } = await import('../demo/run-catalogue');
  const { DEMO_CLIENTS } = await import('../demo/demo-clients');
  const scenarioIds = stringList(parsed, 'scenario');
  validateScenarioIds(scenarioIds);
  const { palette } = output;
  const started = performance.now();
  output.line(palette.heading('strictmail demo'));
  output.line(
    palette.dim(
      'Offline: every server below is embedded, listens on 127.0.0.1 port 0, and uses certificates made for this run.',
    ),
  );
  output.line();
  const sends = await runVerifiedSends((step) => output.progress(`${step}…`));
  showSend(
    output,
    '1. A real message over verified STARTTLS (RFC 3207, submission port 587 style)',
    sends[0] as VerifiedSend,
  );
  showSend(output, '2. The same over implicit TLS (RFC 8314, port 465 style)', sends[1] as VerifiedSend);

  const { runs, audits } = await runCatalogue({
    clients: DEMO_CLIENTS,
    scenarioIds: scenarioIds.length === 0 ? undefined : scenarioIds,
    signal,
    onProgress: (done, total, label) => {
      // A terminal redraws one line per run; a log gets a line per tenth of the catalogue.
      const tenth = Math.ceil(total / 10);
      if (output.liveProgress || done % tenth === 0 || done === total)
        output.progress(`[${done}/${total}] ${label}`);
    },
  });
  const scorecard = buildScorecard(DEMO_CLIENTS, runs, audits);
  const scenarioCount = new Set(scorecard.rows.map((row) => row.scenarioId)).size;
  output.line(
    palette.heading(
      `3. The attack catalogue: ${scenarioCount} scenarios, ${scorecard.rows.length} scenario × mode runs per client, judged by the mock server`,
    ),
  );
  for (const line of renderScorecard(scorecard, palette)) output.line(line);
  const strictmail = scorecard.totals.find((total) => total.clientId === 'strictmail');
  const strictmailClean =
    strictmail !== undefined &&
    strictmail.total > 0 &&
    strictmail.passed === strictmail.total &&
    strictmail.leakingRuns === 0;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  output.line();
  output.line(
    strictmailClean
      ? palette.ok(
          `✔ strictmail refused every attack, delivered every control, and leaked nothing (${seconds} s).`,
        )
      : palette.bad(`✖ strictmail did not pass every scenario: see the ✖ cells above (${seconds} s).`),
  );
  output.result({
    ok: strictmailClean,
    sends,
    scorecard,
    durationMs: Math.round(performance.now() - started),
  });
  return strictmailClean ? EXIT_OK : EXIT_FAILED;
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'offline: verified sends to the embedded mock server, then the attack scorecard',
  help: HELP,
  options: { scenario: { type: 'string', multiple: true } },
  run,
};
