// Finds the scenario's secrets in bytes the client should never have sent where it sent them: before TLS
// (plaintext), or over a TLS session with an endpoint it should have refused (untrusted-tls).
// Secrets are searched as raw text and inside every base64 run (AUTH PLAIN's "\0user\0pass", AUTH LOGIN's
// separate lines, XOAUTH2, base64 MIME bodies), and in quoted-printable text with soft breaks removed.
import type { ScenarioSecrets } from '../attacks/secrets';
import { type ConnectionRecord, clientBytesIn } from '../attacks/wire-record';

export type SecretKind = 'password' | 'username' | 'mail-from' | 'rcpt-to' | 'body-marker';

/** `plaintext`: before any TLS. `untrusted-tls`: inside TLS with an endpoint the client had to refuse. */
export type LeakChannel = 'plaintext' | 'untrusted-tls';

export interface Leak {
  readonly secret: SecretKind;
  readonly channel: LeakChannel;
  /** How the secret appeared: as is, or base64-encoded (for example in `AUTH PLAIN`). */
  readonly encoding: 'raw' | 'base64';
  /** Index of the connection it was seen on. */
  readonly connection: number;
}

/** Base64 runs shorter than this (8 characters = 6 bytes) are too short to hold any secret we hand out. */
const MIN_BASE64_RUN = 8;

/** Every way the bytes can be read: as text, and each base64 run decoded. */
export function textViews(bytes: Buffer): { raw: string[]; base64: string[] } {
  const text = bytes.toString('latin1');
  const raw = [text, text.replace(/=\r?\n/g, '')];
  const base64: string[] = [];
  const decode = (run: string) => base64.push(Buffer.from(run, 'base64').toString('latin1'));
  for (const match of text.matchAll(new RegExp(`[A-Za-z0-9+/]{${MIN_BASE64_RUN},}={0,2}`, 'g'))) {
    decode(match[0]);
  }
  // A base64 MIME body is split into lines: decode each block of consecutive base64-only lines whole.
  let block: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(line)) block.push(line);
    else {
      if (block.length > 1) decode(block.join(''));
      block = [];
    }
  }
  if (block.length > 1) decode(block.join(''));
  return { raw, base64 };
}

function secretsToFind(secrets: ScenarioSecrets): [SecretKind, string][] {
  return [
    ['password', secrets.password],
    ['username', secrets.user],
    ['mail-from', secrets.from],
    ...secrets.to.map((address): [SecretKind, string] => ['rcpt-to', address]),
    ['body-marker', secrets.bodyMarker],
  ];
}

/** The secrets found in `bytes`, each once per kind (raw wins over base64). */
export function findSecrets(
  bytes: Buffer,
  secrets: ScenarioSecrets,
): { secret: SecretKind; encoding: 'raw' | 'base64' }[] {
  if (bytes.length === 0) return [];
  const views = textViews(bytes);
  const found = new Map<SecretKind, 'raw' | 'base64'>();
  for (const [kind, value] of secretsToFind(secrets)) {
    if (found.has(kind)) continue;
    if (views.raw.some((view) => view.includes(value))) found.set(kind, 'raw');
    else if (views.base64.some((view) => view.includes(value))) found.set(kind, 'base64');
  }
  return [...found].map(([secret, encoding]) => ({ secret, encoding }));
}

/** Every leak on every connection of a scenario run. */
export function findLeaks(
  connections: readonly ConnectionRecord[],
  secrets: ScenarioSecrets,
  endpointDefective: boolean,
): Leak[] {
  const leaks: Leak[] = [];
  for (const record of connections) {
    for (const found of findSecrets(clientBytesIn(record, 'plaintext'), secrets)) {
      leaks.push({ ...found, channel: 'plaintext', connection: record.index });
    }
    if (endpointDefective) {
      for (const found of findSecrets(clientBytesIn(record, 'tls'), secrets)) {
        leaks.push({ ...found, channel: 'untrusted-tls', connection: record.index });
      }
    }
  }
  return leaks;
}
