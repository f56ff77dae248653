// The TLS handshakes `check` makes, one function each. Rule: a probe that decides whether strictmail
// would send uses @strictmail/tls-policy/node end to end (`tlsConnectOptions`, `judgeTlsSocket`,
// `diagnoseHandshakeError`), verification on. The other probes only read what the server offers
// (its certificate, legacy versions, weak suites) with verification off; they are labelled
// `inspection`, send nothing but EHLO and QUIT, and their use is always reported in the output.
import { isIP } from 'node:net';
import type tls from 'node:tls';
import {
  SecurityError,
  type TlsCapablePolicy,
  type TlsReceipt,
  type TlsVersion,
} from '@strictmail/tls-policy';
import { diagnoseHandshakeError, judgeTlsSocket, tlsConnectOptions } from '@strictmail/tls-policy/node';
import type { VersionProbe } from './check-report';
import {
  HandshakeFailedError,
  openTlsProbe,
  PlaintextPhaseError,
  type ProbeEntry,
  type ProbeTarget,
  type TlsProbe,
} from './probe-session';

/**
 * TLS 1.2 suites a careful client never offers (RFC 9325 §4.1-4.2): CBC, static RSA, finite-field DHE,
 * 3DES and the like. Every ECDHE + AEAD suite is left out (GCM and ChaCha20 are strictmail's list; CCM
 * and ARIA-GCM are AEAD too), so a server that prefers modern suites still shows the legacy ones it takes.
 */
const WEAK_TLS12_CIPHERS = 'ALL:!ECDHE+AESGCM:!ECDHE+CHACHA20:!ECDHE+AESCCM:!ECDHE+ARIAGCM:@SECLEVEL=0';
/** OpenSSL 3 refuses TLS 1.0/1.1 above security level 0, so the legacy probe lowers it (client side only). */
const LEGACY_CIPHERS = 'DEFAULT:@SECLEVEL=0';

/**
 * Options for an inspection handshake: no verification (the certificate is read, not trusted), and
 * no identity check, so `socket.authorized` reflects the chain alone and the name is checked apart.
 */
export function inspectionOptions(
  ca: readonly string[] | undefined,
  serverName: string,
  range: Pick<tls.ConnectionOptions, 'minVersion' | 'maxVersion' | 'ciphers'> = { minVersion: 'TLSv1.2' },
): tls.ConnectionOptions {
  return {
    ...range,
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
    ...(ca === undefined ? {} : { ca: [...ca] }),
    // RFC 6066 §3: SNI carries host names only, never IP literals.
    ...(isIP(serverName) === 0 ? { servername: serverName } : {}),
  };
}

function failure(error: unknown): { errorCode: string | undefined; error: string } {
  if (error instanceof PlaintextPhaseError) return { errorCode: undefined, error: error.message };
  const cause = error instanceof HandshakeFailedError ? error.cause : error;
  const code = (cause as { code?: unknown })?.code;
  return {
    errorCode: typeof code === 'string' ? code : undefined,
    error: (cause as Error)?.message ?? String(cause),
  };
}

function accepted(version: VersionProbe['version'], probe: TlsProbe): VersionProbe {
  return {
    version,
    method: 'inspection',
    accepted: true,
    protocol: probe.socket.getProtocol() ?? undefined,
    cipher: probe.socket.getCipher()?.standardName,
  };
}

/** Whether the server still negotiates TLS 1.0 or 1.1 (RFC 8996 deprecates both). */
export async function probeLegacyVersions(
  target: ProbeTarget,
  entry: ProbeEntry,
  serverName: string,
): Promise<VersionProbe> {
  const version = 'TLSv1.1 or older';
  try {
    const probe = await openTlsProbe(
      target,
      entry,
      inspectionOptions(undefined, serverName, {
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
        ciphers: LEGACY_CIPHERS,
      }),
    );
    const result = accepted(version, probe);
    await probe.close();
    return result;
  } catch (error) {
    return { version, method: 'inspection', accepted: false, ...failure(error) };
  }
}

/** Whether the server also negotiates TLS 1.2 suites strictmail refuses (CBC, static RSA, DHE, ...). */
export async function probeWeakSuites(
  target: ProbeTarget,
  entry: ProbeEntry,
  serverName: string,
): Promise<VersionProbe> {
  const version = 'TLSv1.2 weak suites';
  try {
    const probe = await openTlsProbe(
      target,
      entry,
      inspectionOptions(undefined, serverName, {
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.2',
        ciphers: WEAK_TLS12_CIPHERS,
      }),
    );
    const result = accepted(version, probe);
    await probe.close();
    return result;
  } catch (error) {
    return { version, method: 'inspection', accepted: false, ...failure(error) };
  }
}

export interface JudgedProbe {
  readonly probe: VersionProbe;
  readonly receipt: TlsReceipt | undefined;
  /** EHLO keywords over the judged session (the ones a strictmail client would see). */
  readonly capabilities: string[] | undefined;
}

/**
 * Connects exactly as strictmail would under `policy`, limited to one TLS version, and judges the
 * session before sending anything over it. A refusal carries the SecurityError code and message
 * strictmail itself would report.
 */
export async function probeJudged(
  target: ProbeTarget,
  entry: ProbeEntry,
  policy: TlsCapablePolicy,
  version: TlsVersion,
): Promise<JudgedProbe> {
  const receiptEntry = entry === 'implicit-tls' ? 'implicit-tls' : 'starttls';
  const options = {
    ...tlsConnectOptions(policy, { host: target.host, entry: receiptEntry }),
    maxVersion: version,
  };
  let receipt: TlsReceipt | undefined;
  try {
    const probe = await openTlsProbe(target, entry, options, (socket) => {
      receipt = judgeTlsSocket(socket, policy, { host: target.host, entry: receiptEntry });
    });
    await probe.close();
    return {
      probe: {
        version,
        method: 'judged',
        accepted: true,
        protocol: receipt?.protocol,
        cipher: receipt?.cipher,
      },
      receipt,
      capabilities: probe.capabilities instanceof Error ? undefined : probe.capabilities,
    };
  } catch (error) {
    const refused = (errorCode: string | undefined, message: string): JudgedProbe => ({
      probe: { version, method: 'judged', accepted: false, errorCode, error: message },
      receipt: undefined,
      capabilities: undefined,
    });
    if (SecurityError.isInstance(error)) return refused(error.code, error.message);
    if (error instanceof HandshakeFailedError) {
      const diagnosed = diagnoseHandshakeError(error.cause, { policy, host: target.host, port: target.port });
      return refused(diagnosed.code, diagnosed.message);
    }
    return refused(undefined, (error as Error).message);
  }
}
