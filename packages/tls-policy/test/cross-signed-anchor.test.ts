// A trust anchor is a name and a key (RFC 5280 §6.1.1 (d)), not one certificate file. Servers often
// send a cross-signed copy of their root (Let's Encrypt's ISRG Root X1 signed by DST Root CA X3 is the
// famous case); Node then reports a chain that runs past the trusted root to the cross-sign. The judge
// must stop at the anchor and neither refuse the valid chain nor judge the cross-sign's SHA-1 hash.
// The cross-sign needs a CA certificate re-issued for an existing key, so this test uses the openssl CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority } from '@strictmail/mock-server/certificates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { implicitTls } from '../src/index';
import { connectAndJudge, startTlsServer, type TestServer } from './tls-harness';

const CA_EXTENSIONS = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n';
const LEAF_EXTENSIONS =
  'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n';

let directory: string;
let server: TestServer;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] });
}
function read(name: string): string {
  return readFileSync(join(directory, name), 'utf8');
}
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'strictmail-cross-sign-'));
  writeFileSync(join(directory, 'ca.ext'), CA_EXTENSIONS);
  writeFileSync(join(directory, 'leaf.ext'), LEAF_EXTENSIONS);
  const selfSignedCa = (name: string, subject: string) =>
    openssl(
      'req',
      '-x509',
      ...EC,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-subj',
      subject,
      '-days',
      '2',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  const sign = (csr: string, ca: string, out: string, hash: string, extensions: string) =>
    openssl(
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-out',
      out,
      '-days',
      '2',
      `-${hash}`,
      '-extfile',
      extensions,
    );
  selfSignedCa('root', '/CN=strictmail test root R');
  selfSignedCa('old-root', '/CN=strictmail test old root O');
  // The same root name and key, cross-signed by the old root with SHA-1.
  openssl('req', '-new', '-key', 'root.key', '-subj', '/CN=strictmail test root R', '-out', 'root.csr');
  sign('root.csr', 'old-root', 'root-cross-signed.pem', 'sha1', 'ca.ext');
  openssl(
    'req',
    '-new',
    ...EC,
    '-keyout',
    'intermediate.key',
    '-subj',
    '/CN=strictmail test intermediate',
    '-out',
    'intermediate.csr',
  );
  sign('intermediate.csr', 'root', 'intermediate.pem', 'sha256', 'ca.ext');
  openssl('req', '-new', ...EC, '-keyout', 'leaf.key', '-subj', '/CN=127.0.0.1', '-out', 'leaf.csr');
  sign('leaf.csr', 'intermediate', 'leaf.pem', 'sha256', 'leaf.ext');
  server = await startTlsServer({
    key: read('leaf.key'),
    cert: read('leaf.pem') + read('intermediate.pem') + read('root-cross-signed.pem'),
    // The server must load a SHA-1 cross-sign; the client side stays at strictmail's level.
    ciphers: 'DEFAULT@SECLEVEL=0',
    minVersion: 'TLSv1.2',
  });
});

afterAll(async () => {
  await server?.close();
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
});

describe('trust anchors are a name and a key (RFC 5280 §6.1.1)', () => {
  it('accepts a valid chain whose server also sends a SHA-1 cross-sign of the trusted root', async () => {
    const policy = implicitTls({ ca: read('root.pem') });
    const { receipt } = await connectAndJudge(policy, server);
    expect(receipt).toMatchObject({ chainVerified: true, hostnameVerified: true, decidedBy: 'pkix' });
    expect(receipt.issuer).toBe('CN=strictmail test intermediate');
  });

  it('still refuses the same chain when its root is not among the policy roots (RFC 5280 §6)', async () => {
    const policy = implicitTls({ ca: (await createCertificateAuthority()).certificatePem });
    await expect(connectAndJudge(policy, server)).rejects.toMatchObject({ code: 'CERTIFICATE_UNTRUSTED' });
    await expect(
      connectAndJudge(policy, server, { loosen: { ca: read('old-root.pem'), rejectUnauthorized: false } }),
    ).rejects.toMatchObject({ code: 'CERTIFICATE_UNTRUSTED', diagnosis: undefined });
  });
});
