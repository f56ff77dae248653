// The clients under comparison. Each runs in a fresh child process per measurement, so module caches,
// JIT state, TLS session caches and heap growth never carry from one client to the next.

export type ClientKind = 'nodemailer' | 'strictmail-core' | 'strictmail-nodemailer' | 'nodemailer-mail-layer';

export interface ClientSpec {
  /** Stable id used in the JSON report, e.g. `nodemailer-pool-4`. */
  readonly id: string;
  /** Human label for tables. */
  readonly label: string;
  readonly kind: ClientKind;
  /** `false`: one connection per message. A number: a pool of that many connections. */
  readonly pool: false | number;
}

function spec(kind: ClientKind, pool: false | number): ClientSpec {
  const names: Record<ClientKind, string> = {
    nodemailer: 'nodemailer SMTP transport',
    'strictmail-core': '@strictmail/smtp-core createClient',
    'strictmail-nodemailer': 'nodemailer + @strictmail/nodemailer',
    'nodemailer-mail-layer':
      "nodemailer's Mail layer alone (a no-op transport that reads the message stream)",
  };
  if (kind === 'nodemailer-mail-layer') return { id: kind, label: names[kind], kind, pool };
  return {
    id: pool === false ? kind : `${kind}-pool-${pool}`,
    label: `${names[kind]}, ${pool === false ? 'no pool' : `pool of ${pool}`}`,
    kind,
    pool,
  };
}

export const CLIENT_SPECS = {
  nodemailer: spec('nodemailer', false),
  nodemailerPool1: spec('nodemailer', 1),
  nodemailerPool4: spec('nodemailer', 4),
  coreNoPool: spec('strictmail-core', false),
  corePool1: spec('strictmail-core', 1),
  corePool4: spec('strictmail-core', 4),
  transportNoPool: spec('strictmail-nodemailer', false),
  transportPool1: spec('strictmail-nodemailer', 1),
  transportPool4: spec('strictmail-nodemailer', 4),
  /** Not a client: the per-message cost every nodemailer transport pays before it sees a byte. */
  mailLayer: spec('nodemailer-mail-layer', false),
} as const satisfies Record<string, ClientSpec>;

/** Whether a client is strictmail's (numerator of every ratio) or a baseline. */
export function isStrictmail(client: ClientSpec): boolean {
  return client.kind === 'strictmail-core' || client.kind === 'strictmail-nodemailer';
}

/** Whether the client delivers to the sink (the Mail-layer baseline delivers nothing). */
export function deliversToSink(client: ClientSpec): boolean {
  return client.kind !== 'nodemailer-mail-layer';
}
