// `strictmail-example send`: one message through nodemailer + @strictmail/nodemailer. nodemailer builds
// the MIME message; strictmail delivers it only over TLS the policy accepts, and returns the receipt.
// Exit 0 only when the server accepted the message for every recipient (after its final positive
// reply to the data phase); anything else prints the reason and what to do, and exits non-zero.
import { type StrictmailSentMessageInfo, strictmail } from '@strictmail/nodemailer';
import { implicitTls, requireStarttls } from '@strictmail/tls-policy';
import nodemailer from 'nodemailer';
import { type Command, type CommandContext, EXIT_FAILED, EXIT_OK, type ParsedArguments } from '../command';
import { renderReceipt } from '../output/render-receipt';
import { resolveSendSettings, type SendSettings } from '../send/send-options';

const HELP = `Usage: strictmail-example send [options]

Sends one message with nodemailer through the strictmail transport: verified TLS 1.2+ (implicit TLS or
STARTTLS done right), credentials only after the TLS session has been judged, and a TLS receipt.

Options (each falls back to the environment variable in brackets):
  --host HOST         server to dial                                     [SMTP_HOST]
  --port PORT         default 465 with implicit TLS, 587 with STARTTLS   [SMTP_PORT]
  --security MODE     starttls | implicit (default: implicit on 465)     [SMTP_SECURITY]
  --ca FILE           trust this PEM CA instead of the system roots      [SMTP_CA_FILE]
  --user USER         AUTH user; the password is read from SMTP_PASS     [SMTP_USER]
  --from ADDRESS      envelope and header sender                         [MAIL_FROM]
  --to ADDRESS        recipient (repeatable, or comma-separated)         [MAIL_TO]
  --subject TEXT      subject line                                       [MAIL_SUBJECT]
  --body-file FILE    plain-text body                                    [MAIL_BODY_FILE]
  --text TEXT         plain-text body given inline
  --pin PIN           SPKI SHA-256 pin of the server key (repeatable; \`check\` prints it)
  --pins-only         trust a pinned key without a CA chain (self-signed servers)
  --servername NAME   the name the certificate must carry, if not HOST
  --min-tls 1.2|1.3   lowest TLS version (default 1.2)
  --json               print the result (or the error) as JSON
  --no-color           plain text

Exit status: 0 when the server accepted the message, 1 when it was refused or failed, 2 on bad usage.
This command implements the client contract of \`strictmail-mock audit\`, which can score it:
  strictmail-mock audit --cmd 'strictmail-example send'`;

/** The part to copy: a policy, a transport, one sendMail. */
async function deliver(
  settings: SendSettings,
  signal: AbortSignal | undefined,
): Promise<StrictmailSentMessageInfo> {
  // 1. What "secure enough" means for this server. The safe modes have the short names.
  const trust = {
    ...(settings.ca === undefined ? {} : { ca: settings.ca }),
    pins: settings.pins,
    pinsOnly: settings.pinsOnly,
    minVersion: settings.minVersion,
    ...(settings.serverName === undefined ? {} : { serverName: settings.serverName }),
  };
  const policy = settings.security === 'implicit' ? implicitTls(trust) : requireStarttls(trust);

  // 2. A nodemailer transporter whose transport is strictmail.
  const transport = strictmail({
    host: settings.host,
    ...(settings.port === undefined ? {} : { port: settings.port }),
    security: policy,
    ...(settings.auth === undefined ? {} : { auth: settings.auth }),
  });
  const transporter = nodemailer.createTransport(transport);
  try {
    // 3. Resolves only after the server's final positive reply; `info.tls` is the TLS receipt.
    return await transporter.sendMail({
      from: settings.from,
      to: settings.to,
      subject: settings.subject,
      text: settings.text,
      ...(signal === undefined ? {} : { signal }), // Ctrl-C cancels the send
    });
  } finally {
    await transport.close(); // resolves once no socket or timer is left
  }
}

async function run(
  parsed: ParsedArguments,
  { output, environment, signal }: CommandContext,
): Promise<number> {
  const settings = resolveSendSettings(parsed, environment);
  const { palette } = output;
  output.progress(`sending to ${settings.host} (${settings.security})…`);
  const info = await deliver(settings, signal);
  output.endProgress();
  // Fail closed: a success without a receipt would mean no judged TLS session carried the message.
  const everyoneAccepted = info.accepted.length > 0 && info.rejected.length === 0 && info.tls !== null;
  output.result({ ok: everyoneAccepted, ...info });
  output.line(
    everyoneAccepted
      ? palette.ok(`✔ Message accepted by ${settings.host}`)
      : palette.bad(`✖ Not every recipient was accepted by ${settings.host}`),
  );
  output.line(`  ${palette.dim('message id'.padEnd(12))}${info.messageId}`);
  output.line(`  ${palette.dim('accepted'.padEnd(12))}${info.accepted.join(', ') || 'none'}`);
  if (info.rejected.length > 0)
    output.line(`  ${palette.dim('rejected'.padEnd(12))}${info.rejected.join(', ')}`);
  output.line(`  ${palette.dim('response'.padEnd(12))}${info.response}`);
  output.line(palette.heading('TLS receipt'));
  if (info.tls === null) output.line(palette.bad('  none: the message was not sent over TLS'));
  else for (const line of renderReceipt(info.tls, palette)) output.line(line);
  if (!everyoneAccepted) {
    output.line(
      `${palette.warn('What to do:')} fix or remove the rejected addresses, then send to them again.`,
    );
  }
  return everyoneAccepted ? EXIT_OK : EXIT_FAILED;
}

export const sendCommand: Command = {
  name: 'send',
  summary: 'send one message through nodemailer + strictmail and print the TLS receipt',
  help: HELP,
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    security: { type: 'string' },
    ca: { type: 'string' },
    pin: { type: 'string', multiple: true },
    'pins-only': { type: 'boolean' },
    servername: { type: 'string' },
    'min-tls': { type: 'string' },
    user: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string', multiple: true },
    subject: { type: 'string' },
    'body-file': { type: 'string' },
    text: { type: 'string' },
  },
  run,
};
