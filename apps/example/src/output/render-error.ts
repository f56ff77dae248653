// A failure as a user reads it: what happened (the error's own message, which strictmail words as
// "what was expected, what was received"), its code, and what to do next. Rule: the advice never
// suggests weakening verification; the fix is always on the configuration or on the server side.
import { StrictmailError } from '@strictmail/tls-policy';
import type { Palette } from './colour';

const CHECK_HINT = 'Run `strictmail-example check HOST:PORT` to see what the server offers.';

/** What to do, by error code. Codes not listed fall back to the advice for their kind. */
const ADVICE_BY_CODE: Readonly<Record<string, string>> = {
  STARTTLS_STRIPPED:
    'The server did not offer STARTTLS. If it should have, something on the path removed it: do not retry ' +
    `over this network. If the port expects implicit TLS (465), use --security implicit. ${CHECK_HINT}`,
  STARTTLS_REFUSED: `STARTTLS was not answered with 220: the server or something on the path refused TLS. ${CHECK_HINT}`,
  PRE_TLS_DATA_INJECTED:
    'Bytes arrived between the 220 to STARTTLS and the handshake: a man in the middle may be injecting ' +
    'commands (CVE-2021-22947 class). Do not retry over this network; report it.',
  EHLO_REFUSED: `The server refused EHLO, and falling back to HELO would lose STARTTLS. ${CHECK_HINT}`,
  AUTH_UNAVAILABLE: `The server offers no AUTH mechanism strictmail can use over TLS. ${CHECK_HINT}`,
  TLS_VERSION_TOO_OLD: 'The server must enable TLS 1.2 or 1.3; strictmail will not downgrade (RFC 8996).',
  CIPHER_REJECTED: 'The server must enable ECDHE with AES-GCM or ChaCha20-Poly1305 (RFC 9325 §4.2).',
  CERTIFICATE_UNTRUSTED:
    'Trust the CA that issued the server certificate with --ca FILE (SMTP_CA_FILE), or, for a self-signed ' +
    `server, pin its key with --pin PIN --pins-only. ${CHECK_HINT.replace('offers', 'offers and the pin to use')}`,
  CERTIFICATE_EXPIRED: 'The server certificate has expired: the server operator must renew it.',
  CERTIFICATE_NOT_YET_VALID: 'The server certificate is not valid yet: check the clocks of both machines.',
  CERTIFICATE_WEAK_KEY:
    'The server must use an RSA key of 2048 bits or more, or an EC key of 256 bits or more.',
  CERTIFICATE_WEAK_SIGNATURE:
    'The server certificate is signed with SHA-1 or MD5: the operator must reissue it.',
  HOSTNAME_MISMATCH:
    'Connect with a name the certificate carries, or give that name with --servername NAME. ' +
    CHECK_HINT.replace('offers', 'offers and the names in its certificate'),
  PIN_MISMATCH:
    'The server key is not the pinned one: either it was replaced (confirm with the operator, then pin the ' +
    'new key) or the connection is being intercepted.',
  TLS_HANDSHAKE_FAILED: CHECK_HINT,
  INSECURE_OPTION: 'Use the safe option the message names.',
  INVALID_OPTION: 'Fix the option as the message says; `--help` lists them all.',
};

const ADVICE_BY_KIND: Readonly<Record<string, string>> = {
  security: `strictmail refused because the channel is not secure enough. ${CHECK_HINT}`,
  configuration: 'Fix the configuration as the message says; `--help` lists the options.',
  connection:
    'The connection failed: check host, port and network; this is usually transient, so retry later.',
  'remote-protocol': 'The server broke the SMTP protocol: report it to the server operator.',
  'local-protocol': 'strictmail was used in a way it does not allow: fix the input the message names.',
};

export interface RenderedError {
  readonly lines: string[];
  readonly json: Record<string, unknown>;
}

function smtpAdvice(error: StrictmailError): string {
  return error.isTransient()
    ? 'The server answered with a temporary (4xx) error: retry later.'
    : 'The server answered with a permanent (5xx) error: fix what its reply names (address, credentials, size) before retrying.';
}

export function renderError(error: unknown, palette: Palette): RenderedError {
  if (!StrictmailError.isInstance(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      lines: [`${palette.bad('✖ failed:')} ${message}`],
      json: { name: error instanceof Error ? error.name : 'Error', message },
    };
  }
  // @strictmail/nodemailer's TransportError carries nodemailer's code (ETLS, EAUTH, ...) as `code` and
  // strictmail's own (STARTTLS_STRIPPED, ...) as `strictmailCode`; smtp-core errors carry `replyCode`.
  const details = error as StrictmailError & {
    strictmailCode?: string;
    command?: string;
    replyCode?: number;
    responseCode?: number;
    response?: string;
    recipients?: { accepted: readonly string[]; rejected: readonly string[]; unknown: readonly string[] };
  };
  const code = details.strictmailCode ?? error.code;
  const replyCode = details.replyCode ?? details.responseCode;
  const advice =
    ADVICE_BY_CODE[code] ??
    (error.kind === 'smtp-reply' ? smtpAdvice(error) : ADVICE_BY_KIND[error.kind]) ??
    CHECK_HINT;
  const title = error.kind === 'security' ? 'strictmail refused to send' : 'failed';
  const lines = [
    `${palette.bad(`✖ ${title}:`)} ${palette.bold(code === error.code ? `${error.name} ${code}` : `${error.name} ${code} (${error.code})`)}`,
    `  ${error.message}`,
  ];
  if (details.command !== undefined) {
    lines.push(`  ${palette.dim('command')}   ${details.command}`);
  }
  if (details.response !== undefined) {
    lines.push(`  ${palette.dim('server')}    ${replyCode ?? ''} ${details.response}`.trimEnd());
  }
  if (details.recipients !== undefined) {
    const { accepted, rejected, unknown } = details.recipients;
    lines.push(
      `  ${palette.dim('recipients')} accepted: ${accepted.join(', ') || 'none'}; rejected: ${
        rejected.join(', ') || 'none'
      }; unknown: ${unknown.join(', ') || 'none'}`,
    );
  }
  lines.push(`  ${palette.warn('What to do:')} ${advice}`);
  return {
    lines,
    json: {
      name: error.name,
      code,
      ...(code === error.code ? {} : { nodemailerCode: error.code }),
      kind: error.kind,
      message: error.message,
      advice,
      transient: error.isTransient(),
      command: details.command,
      replyCode,
      response: details.response,
      recipients: details.recipients,
    },
  };
}
