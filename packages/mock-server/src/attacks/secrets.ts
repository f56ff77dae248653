// The secrets a scenario hands to the client, fresh and random per scenario run, so that finding one of
// them on the wire can only mean this client sent it in this run. All are ASCII and survive base64,
// quoted-printable and header folding unchanged as substrings (no character needs encoding).
import { randomBytes } from 'node:crypto';

/** What the client is given; the leak detector searches the wire for each of these. */
export interface ScenarioSecrets {
  readonly user: string;
  readonly password: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  /** A token the body carries; finding it proves the body (or part of it) crossed that channel. */
  readonly bodyMarker: string;
  /** The message body the client must send (`MAIL_BODY_FILE`), containing `bodyMarker`. */
  readonly body: string;
}

/**
 * Smuggling bait: bare LF, bare CR, lone dots and a fake end-of-data followed by a smuggled command
 * (the SMTP smuggling pattern, CVE-2023-51764). A correct client normalises line endings to CRLF and
 * dot-stuffs (RFC 5321 §4.5.2), so none of this survives onto the wire unescaped.
 */
function smugglingBody(marker: string): string {
  return [
    'strictmail smuggling probe.\r\n',
    'bare LF follows\n',
    '.\n',
    'bare CR follows\r',
    '.\r',
    'lone dot line with CRLF follows\r\n',
    '.\r\n',
    'MAIL FROM:<smuggled@attacker.invalid>\r\n',
    'RCPT TO:<victim@attacker.invalid>\r\n',
    '.leading dot\r\n',
    `end of probe ${marker}\r\n`,
  ].join('');
}

/** Fresh secrets for one run of scenario `scenarioId`. */
export function createSecrets(
  scenarioId: string,
  options: { smugglingProbe?: boolean } = {},
): ScenarioSecrets {
  const token = () => randomBytes(6).toString('hex');
  const bodyMarker = `strictmail-body-${token()}`;
  return {
    user: `audit-${token()}`,
    password: `pw-${randomBytes(12).toString('hex')}`,
    from: `sender-${token()}@sender.example`,
    to: [`rcpt-${token()}@rcpt.example`],
    subject: `strictmail audit: ${scenarioId}`,
    bodyMarker,
    body:
      options.smugglingProbe === true
        ? smugglingBody(bodyMarker)
        : `Hello from the strictmail audit (${scenarioId}).\r\nmarker ${bodyMarker}\r\n`,
  };
}
