// nodemailer's `dsn` message option mapped to the DSN parameters of RFC 3461: RET and ENVID on MAIL FROM
// (§4.3, §4.4), NOTIFY and ORCPT on RCPT TO (§4.1, §4.2). Rule: accept exactly what nodemailer accepts
// (its aliases `return`, `id`, `recipient`, `HEADERS`, `BODY` and comma-separated notify strings) and
// refuse the rest before anything is sent, as nodemailer does with `EENVELOPE`.
import { ConfigurationError } from '@strictmail/tls-policy';

export type DsnNotify = 'NEVER' | 'SUCCESS' | 'FAILURE' | 'DELAY';

/** The DSN parameters in the shape `@strictmail/smtp-core` takes them. */
export interface DsnParameters {
  readonly ret?: 'FULL' | 'HDRS';
  readonly envid?: string;
  readonly notify?: DsnNotify[];
  readonly orcpt?: string;
}

/** nodemailer's `dsn` message option (see SMTPEnvelopeDsn in nodemailer's types). */
export interface NodemailerDsn {
  readonly ret?: string | null | undefined;
  readonly return?: string | undefined;
  readonly envid?: string | null | undefined;
  readonly id?: string | undefined;
  readonly notify?: string | readonly string[] | null | undefined;
  readonly orcpt?: string | null | undefined;
  readonly recipient?: string | undefined;
}

const NOTIFY_VALUES: readonly DsnNotify[] = ['NEVER', 'SUCCESS', 'FAILURE', 'DELAY'];

function invalidDsn(detail: string): ConfigurationError {
  return new ConfigurationError('INVALID_OPTION', `Invalid DSN option: ${detail} (RFC 3461 §4).`);
}

function toReturn(value: string): 'FULL' | 'HDRS' {
  const upper = value.toUpperCase();
  if (upper === 'HDRS' || upper === 'HEADERS') return 'HDRS';
  if (upper === 'FULL' || upper === 'BODY') return 'FULL';
  throw invalidDsn(`ret ${JSON.stringify(value)}; expected FULL or HDRS`);
}

function toNotify(value: string | readonly string[]): DsnNotify[] {
  const list = (typeof value === 'string' ? value.split(',') : [...value]).map((entry) =>
    String(entry).trim().toUpperCase(),
  );
  const unknown = list.filter((entry) => !(NOTIFY_VALUES as readonly string[]).includes(entry));
  if (unknown.length > 0 || list.length === 0) {
    throw invalidDsn(`notify ${JSON.stringify(list.join(','))}; expected NEVER, or SUCCESS, FAILURE, DELAY`);
  }
  // RFC 3461 §4.1: "NEVER" must not be combined with any other value.
  if (list.length > 1 && list.includes('NEVER')) {
    throw invalidDsn(`notify ${JSON.stringify(list.join(','))}; NEVER cannot be combined with other values`);
  }
  return list as DsnNotify[];
}

/** Maps nodemailer's `dsn` to DSN parameters; `undefined` when no DSN was asked for. */
export function mapDsn(dsn: NodemailerDsn | undefined | null): DsnParameters | undefined {
  if (dsn === undefined || dsn === null) return undefined;
  if (typeof dsn !== 'object') throw invalidDsn('dsn must be an object');
  const parameters: {
    ret?: 'FULL' | 'HDRS';
    envid?: string;
    notify?: DsnNotify[];
    orcpt?: string;
  } = {};
  const ret = dsn.ret ?? dsn.return;
  if (ret) parameters.ret = toReturn(String(ret));
  const envid = dsn.envid ?? dsn.id;
  if (envid) parameters.envid = String(envid);
  if (dsn.notify) parameters.notify = toNotify(dsn.notify);
  const orcpt = dsn.orcpt ?? dsn.recipient;
  if (orcpt) {
    // RFC 3461 §4.2: ORCPT=addr-type;xtext. nodemailer assumes rfc822 when no type is given; the core
    // writes the `rfc822;` type itself and takes the bare address.
    const text = String(orcpt);
    const separator = text.indexOf(';');
    if (separator >= 0 && text.slice(0, separator).toLowerCase() !== 'rfc822') {
      throw invalidDsn(`orcpt ${JSON.stringify(text)}; only the rfc822 address type is supported`);
    }
    parameters.orcpt = separator >= 0 ? text.slice(separator + 1) : text;
  }
  return Object.keys(parameters).length === 0 ? undefined : parameters;
}
