// The settings of `send`, from flags first and then from the client command contract's environment
// variables (SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_CA_FILE, SMTP_USER, SMTP_PASS, MAIL_FROM, MAIL_TO,
// MAIL_SUBJECT, MAIL_BODY_FILE; see docs of `strictmail-mock audit`). Rule: every value is validated
// here, before any connection, and a missing or malformed one is a ConfigurationError naming the flag
// and the variable. Only the safe modes exist: the example offers no way to send without verified TLS.
import { ConfigurationError, type TlsVersion } from '@strictmail/tls-policy';
import {
  booleanValue,
  type Environment,
  type ParsedArguments,
  readTextFile,
  stringList,
  stringValue,
} from '../command';

export type SendSecurity = 'starttls' | 'implicit';

export interface SendSettings {
  readonly host: string;
  readonly port: number | undefined;
  readonly security: SendSecurity;
  readonly ca: string | undefined;
  readonly pins: string[];
  readonly pinsOnly: boolean;
  readonly minVersion: TlsVersion;
  readonly serverName: string | undefined;
  readonly auth: { readonly user: string; readonly pass: string } | undefined;
  readonly from: string;
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
}

/** Used when neither --text nor --body-file nor MAIL_BODY_FILE gives a body. */
export const DEFAULT_BODY = 'Sent by strictmail-example over verified TLS.\n';
export const DEFAULT_SUBJECT = 'strictmail-example';

function missing(flag: string, variable: string): ConfigurationError {
  return new ConfigurationError(
    'INVALID_OPTION',
    `send: ${flag} is required; give it as a flag or in the environment variable ${variable}.`,
  );
}

export function resolveSendSettings(parsed: ParsedArguments, environment: Environment): SendSettings {
  const value = (flag: string, variable: string): string | undefined => {
    const fromFlag = stringValue(parsed, flag);
    if (fromFlag !== undefined) return fromFlag;
    const fromEnvironment = environment[variable];
    return fromEnvironment === undefined || fromEnvironment === '' ? undefined : fromEnvironment;
  };
  const host = value('host', 'SMTP_HOST');
  if (host === undefined) throw missing('--host', 'SMTP_HOST');

  const portText = value('port', 'SMTP_PORT');
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65_535)) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `send: port ${JSON.stringify(portText)} is not between 1 and 65535.`,
    );
  }
  const securityText = value('security', 'SMTP_SECURITY') ?? (port === 465 ? 'implicit' : 'starttls');
  if (securityText !== 'starttls' && securityText !== 'implicit') {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `send: security ${JSON.stringify(securityText)} is not 'starttls' or 'implicit'. There is no plaintext ` +
        'option: strictmail-example sends only over verified TLS.',
    );
  }
  const minTls = stringValue(parsed, 'min-tls') ?? '1.2';
  if (minTls !== '1.2' && minTls !== '1.3') {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `send: --min-tls ${minTls} is not 1.2 or 1.3 (RFC 8996 retired 1.0 and 1.1).`,
    );
  }
  const caFile = value('ca', 'SMTP_CA_FILE');
  const user = value('user', 'SMTP_USER');
  const pass = environment.SMTP_PASS;
  if (user !== undefined && (pass === undefined || pass === '')) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      'send: a user was given but no password: set SMTP_PASS (passwords are never taken as flags, which ' +
        'other users of the machine can read in the process list).',
    );
  }
  const from = value('from', 'MAIL_FROM');
  if (from === undefined) throw missing('--from', 'MAIL_FROM');
  const toFlags = stringList(parsed, 'to');
  const toText = toFlags.length > 0 ? toFlags.join(',') : environment.MAIL_TO;
  const to = (toText ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter((address) => address !== '');
  if (to.length === 0) throw missing('--to', 'MAIL_TO');
  const bodyFile = value('body-file', 'MAIL_BODY_FILE');
  const text =
    stringValue(parsed, 'text') ??
    (bodyFile === undefined ? DEFAULT_BODY : readTextFile(bodyFile, 'the body file', 'send'));

  return {
    host,
    port,
    security: securityText,
    ca: caFile === undefined ? undefined : readTextFile(caFile, 'the CA file', 'send'),
    pins: stringList(parsed, 'pin'),
    pinsOnly: booleanValue(parsed, 'pins-only'),
    minVersion: minTls === '1.3' ? 'TLSv1.3' : 'TLSv1.2',
    serverName: stringValue(parsed, 'servername'),
    auth: user === undefined || pass === undefined ? undefined : { user, pass },
    from,
    to,
    subject: value('subject', 'MAIL_SUBJECT') ?? DEFAULT_SUBJECT,
    text,
  };
}
