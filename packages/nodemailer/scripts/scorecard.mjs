#!/usr/bin/env node
// Runs the attack catalogue of @strictmail/mock-server against three nodemailer set-ups and prints the
// side-by-side scorecard the README shows: this transport, nodemailer's own SMTP transport with default
// options, and nodemailer's SMTP transport with `requireTLS: true`. Every cell is a verdict measured by
// the mock server (what the client claimed, what crossed the wire, what was delivered), never assumed.
// Run from packages/nodemailer after building it and its dependencies:
//   pnpm --filter @strictmail/nodemailer... build && node scripts/scorecard.mjs [--json | --write-readme]
// The test suite imports `runCatalogue` with the TypeScript sources to hold this transport to a 100% pass.

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Every network wait of every client, in milliseconds: long enough for loopback, short enough to finish. */
export const CLIENT_TIMEOUT_MS = 5_000;
/** A client that has not settled after this long is recorded as hung (and stopped by closing it). */
export const SCENARIO_DEADLINE_MS = 20_000;

/** The message every client sends: a raw RFC 5322 message, so the wire-level encoder is what is tested. */
function rawMessage(secrets) {
  return [
    `From: <${secrets.from}>`,
    `To: ${secrets.to.map((address) => `<${address}>`).join(', ')}`,
    `Subject: ${secrets.subject}`,
    'Message-ID: <scorecard@strictmail.test>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    secrets.body,
  ].join('\r\n');
}

/**
 * The clients under test. Each gets the scenario's address, security mode, CA and secrets and returns a
 * nodemailer transporter. Only the security-relevant options differ between them.
 */
export function scorecardClients({ nodemailer, strictmail }) {
  const nodemailerTimeouts = {
    connectionTimeout: CLIENT_TIMEOUT_MS,
    greetingTimeout: CLIENT_TIMEOUT_MS,
    socketTimeout: CLIENT_TIMEOUT_MS,
  };
  return [
    {
      id: 'strictmail',
      title: '@strictmail/nodemailer',
      create: ({ host, port, security, ca, secrets }) =>
        nodemailer.createTransport(
          strictmail({
            host,
            port,
            security: security === 'implicit' ? 'implicit-tls' : 'require-starttls',
            tls: { ca },
            auth: { user: secrets.user, pass: secrets.password },
            timeouts: {
              connectMs: CLIENT_TIMEOUT_MS,
              greetingMs: CLIENT_TIMEOUT_MS,
              commandMs: CLIENT_TIMEOUT_MS,
              dataEndMs: CLIENT_TIMEOUT_MS,
            },
          }),
        ),
    },
    {
      id: 'nodemailer-default',
      title: 'nodemailer SMTP (defaults)',
      create: ({ host, port, security, ca, secrets }) =>
        nodemailer.createTransport({
          host,
          port,
          secure: security === 'implicit',
          tls: { ca: [ca] },
          auth: { user: secrets.user, pass: secrets.password },
          ...nodemailerTimeouts,
        }),
    },
    {
      id: 'nodemailer-require-tls',
      title: 'nodemailer SMTP (requireTLS)',
      create: ({ host, port, security, ca, secrets }) =>
        nodemailer.createTransport({
          host,
          port,
          secure: security === 'implicit',
          requireTLS: true,
          tls: { ca: [ca] },
          auth: { user: secrets.user, pass: secrets.password },
          ...nodemailerTimeouts,
        }),
    },
  ];
}

async function attempt(client, running) {
  const transporter = client.create({
    host: running.host,
    port: running.port,
    security: running.security,
    ca: running.ca,
    secrets: running.secrets,
  });
  const started = Date.now();
  let timer;
  const deadline = new Promise((resolve) => {
    timer = setTimeout(() => resolve('hung'), SCENARIO_DEADLINE_MS);
  });
  const sending = transporter
    .sendMail({
      envelope: { from: running.secrets.from, to: [...running.secrets.to] },
      raw: rawMessage(running.secrets),
    })
    .then(
      () => 'sent',
      (error) => error,
    );
  const outcome = await Promise.race([sending, deadline]);
  clearTimeout(timer);
  await transporter.close();
  return {
    claimedSuccess: outcome === 'sent',
    timedOut: outcome === 'hung',
    durationMs: Date.now() - started,
    error: outcome instanceof Error ? outcome : undefined,
  };
}

/**
 * Runs every scenario, in every mode it supports, against every client. `dependencies` supplies
 * `listScenarios` and `startScenario` (from @strictmail/mock-server), `nodemailer` and `strictmail`.
 */
export async function runCatalogue(dependencies, { clientIds, scenarioIds } = {}) {
  const clients = scorecardClients(dependencies).filter(
    (client) => clientIds === undefined || clientIds.includes(client.id),
  );
  const rows = [];
  for (const scenario of dependencies.listScenarios()) {
    if (scenarioIds !== undefined && !scenarioIds.includes(scenario.id)) continue;
    for (const mode of scenario.modes) {
      const row = { scenario, mode, results: {} };
      for (const client of clients) {
        const running = await dependencies.startScenario(scenario.id, { mode });
        try {
          const result = await attempt(client, running);
          const verdict = await running.verdict(result);
          row.results[client.id] = { verdict, error: result.error };
        } finally {
          await running.close();
        }
      }
      rows.push(row);
    }
  }
  return { clients, rows };
}

function cell(result) {
  const { verdict } = result;
  if (verdict.pass) return verdict.expectation === 'must-succeed' ? 'pass (delivered)' : 'pass (refused)';
  const what =
    verdict.outcome === 'hung'
      ? 'FAIL: hung'
      : verdict.expectation === 'must-refuse'
        ? verdict.outcome === 'claimed-success'
          ? 'FAIL: sent'
          : 'FAIL'
        : 'FAIL: not delivered';
  const secretsOn = (channel) => [
    ...new Set(verdict.leaks.filter((leak) => leak.channel === channel).map((leak) => leak.secret)),
  ];
  const plaintext = secretsOn('plaintext');
  const untrusted = secretsOn('untrusted-tls');
  return [
    what,
    ...(plaintext.length > 0 ? [`in plaintext: ${plaintext.join(', ')}`] : []),
    ...(untrusted.length > 0 ? [`over TLS it had to refuse: ${untrusted.join(', ')}`] : []),
  ].join('; ');
}

/** The scorecard as a Markdown table, with a totals row. */
export function formatScorecard({ clients, rows }) {
  const header = `| scenario | what the endpoint does | mode | expected | ${clients.map((client) => client.title).join(' | ')} |`;
  const rule = `|---|---|---|---|${clients.map(() => '---').join('|')}|`;
  const lines = rows.map(
    (row) =>
      `| \`${row.scenario.id}\` | ${row.scenario.title} | ${row.mode} | ${row.scenario.expectation} | ${clients
        .map((client) => cell(row.results[client.id]))
        .join(' | ')} |`,
  );
  const totals = clients.map((client) => {
    const passed = rows.filter((row) => row.results[client.id].verdict.pass).length;
    return `**${passed}/${rows.length}**`;
  });
  return [header, rule, ...lines, `| **passed** | | | | ${totals.join(' | ')} |`].join('\n');
}

const README_START = '<!-- scorecard:start -->';
const README_END = '<!-- scorecard:end -->';

/** Replaces the measured table in README.md (between the scorecard markers) with `text`. */
function writeReadme(text) {
  const path = new URL('../README.md', import.meta.url);
  const readme = readFileSync(path, 'utf8');
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start)
    throw new Error(`README.md lacks the ${README_START} ... ${README_END} markers`);
  writeFileSync(path, `${readme.slice(0, start + README_START.length)}\n${text}\n${readme.slice(end)}`);
}

async function main() {
  const [{ default: nodemailer }, mockServer, { strictmail }] = await Promise.all([
    import('nodemailer'),
    import('@strictmail/mock-server'),
    import('../dist/index.js'),
  ]);
  const scorecard = await runCatalogue({
    nodemailer,
    strictmail,
    listScenarios: mockServer.listScenarios,
    startScenario: mockServer.startScenario,
  });
  if (process.argv.includes('--json')) {
    const summary = scorecard.rows.map((row) => ({
      scenario: row.scenario.id,
      mode: row.mode,
      results: Object.fromEntries(
        Object.entries(row.results).map(([id, result]) => [
          id,
          { pass: result.verdict.pass, outcome: result.verdict.outcome, reasons: result.verdict.reasons },
        ]),
      ),
    }));
    console.log(JSON.stringify(summary, null, 2));
  } else {
    const nodemailerVersion = createRequire(import.meta.url)('nodemailer/package.json').version;
    const text = [
      `Measured ${new Date().toISOString()} on Node ${process.version} with nodemailer ${nodemailerVersion}.`,
      '',
      formatScorecard(scorecard),
    ].join('\n');
    console.log(text);
    if (process.argv.includes('--write-readme')) writeReadme(text);
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
