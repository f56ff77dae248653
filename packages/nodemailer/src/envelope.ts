// The SMTP envelope of a nodemailer message, as nodemailer's own SMTP transport builds it: addresses
// from `mail.message.getEnvelope()` (which already honours a custom `envelope` option and Bcc), DSN from
// `mail.data.dsn`, REQUIRETLS (RFC 8689) from `mail.data.requireTLSExtensionEnabled`. Rule: the envelope
// is checked here only for what nodemailer checks (at least one recipient); CR, LF and NUL in addresses
// are refused by @strictmail/smtp-core before any byte is sent (invariant 6), and SMTPUTF8 (RFC 6531)
// is requested by the core whenever an address is not ASCII.
import { ConfigurationError } from '@strictmail/tls-policy';
import { type DsnParameters, mapDsn, type NodemailerDsn } from './dsn';

/** The envelope in the shape `client.send(envelope, ...)` takes it. */
export interface CoreEnvelope {
  readonly from: string;
  readonly to: string[];
  readonly size?: number;
  readonly dsn?: DsnParameters;
  readonly requireTls?: boolean;
}

/** What nodemailer reports back as `info.envelope` (its `from` is `false` for a null sender). */
export interface ReportedEnvelope {
  readonly from: string | false;
  readonly to: string[];
}

/** The parts of nodemailer's MailMessage this transport reads. */
export interface MailLike {
  readonly data: {
    readonly dsn?: NodemailerDsn | null;
    readonly requireTLSExtensionEnabled?: boolean;
    readonly auth?: unknown;
    readonly signal?: AbortSignal;
  };
  readonly message: {
    getEnvelope(): { from?: string | false; to?: string[]; size?: unknown };
    messageId(): string;
    createReadStream(): NodeJS.ReadableStream;
  };
}

export interface MailEnvelope {
  readonly envelope: CoreEnvelope;
  readonly reported: ReportedEnvelope;
}

/** Builds the envelope; throws ConfigurationError (mapped to nodemailer's EENVELOPE) when unusable. */
export function envelopeOf(mail: MailLike): MailEnvelope {
  const source = mail.message.getEnvelope();
  const from = typeof source.from === 'string' ? source.from.trim() : '';
  const to = [...(source.to ?? [])].map((address) => String(address).trim());
  if (to.length === 0 || to.some((address) => address.length === 0)) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      'No recipients defined: the message has no To, Cc or Bcc address and no envelope.to. ' +
        'Expected at least one recipient (RFC 5321 §3.3).',
    );
  }
  const envelope: {
    from: string;
    to: string[];
    size?: number;
    dsn?: DsnParameters;
    requireTls?: boolean;
  } = { from, to };
  const size = Number(source.size);
  if (Number.isInteger(size) && size > 0) envelope.size = size;
  const dsn = mapDsn(mail.data.dsn);
  if (dsn !== undefined) envelope.dsn = dsn;
  if (mail.data.requireTLSExtensionEnabled === true) envelope.requireTls = true;
  return { envelope, reported: { from: source.from || false, to: [...(source.to ?? [])] } };
}
