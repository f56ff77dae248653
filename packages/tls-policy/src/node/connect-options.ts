// Turns a policy into `tls.connect` options. Rule: every security-relevant option is set explicitly —
// `rejectUnauthorized: true` (so `NODE_TLS_REJECT_UNAUTHORIZED=0` cannot weaken it), `minVersion`,
// the ECDHE+AEAD cipher list at OpenSSL security level 2, `ca`, and our own identity check — and the
// judge (`judgeTlsSocket`) re-checks the finished session anyway, because a caller may spread looser
// options over these. The one exception is pins-only trust, where the judge alone decides.
import type { ConnectionOptions } from 'node:tls';
import {
  ConfigurationError,
  OPENSSL_CIPHER_LIST,
  type TlsEntry,
  type TlsPolicy,
} from '@strictmail/tls-policy';
import { checkHostIdentity, expectedServerName, isIpLiteral } from './host-identity';

export interface TlsConnectContext {
  /** The host that was dialled (name or IP literal). */
  readonly host: string;
  readonly entry: TlsEntry;
  /** A session from an earlier connection to the same host, for resumption. */
  readonly session?: Buffer | undefined;
}

/** `tls.connect` options for `policy`. Throws `ConfigurationError` for `dangerous-plaintext`. */
export function tlsConnectOptions(policy: TlsPolicy, context: TlsConnectContext): ConnectionOptions {
  if (policy.mode === 'dangerous-plaintext') {
    throw new ConfigurationError(
      'INVALID_OPTION',
      'tlsConnectOptions: the policy is dangerous-plaintext, which never uses TLS; expected a TLS policy ' +
        '(implicitTls, requireStarttls or dangerousOpportunisticStarttls).',
    );
  }
  const name = expectedServerName(policy, context.host);
  const options: ConnectionOptions = {
    host: context.host,
    // Pins-only trust accepts a self-signed key, so OpenSSL's chain verdict must not abort the
    // handshake; judgeTlsSocket then requires the pin. Everywhere else OpenSSL refuses first.
    rejectUnauthorized: policy.trust !== 'pin',
    minVersion: policy.minVersion,
    maxVersion: 'TLSv1.3',
    ciphers: OPENSSL_CIPHER_LIST,
    checkServerIdentity: (_hostnameNodeChose, certificate) => checkHostIdentity(name, certificate),
  };
  if (!isIpLiteral(name)) options.servername = name;
  if (policy.ca !== undefined) options.ca = [...policy.ca];
  if (context.session !== undefined) options.session = context.session;
  return options;
}
