// SASL mechanisms for SMTP AUTH (RFC 4954) and how one is chosen from the EHLO reply after TLS.
// Preference: SCRAM-SHA-256 (the password never crosses the wire and the server proves it knows it),
// then PLAIN, then LOGIN; an OAuth 2.0 access token uses XOAUTH2 (Gmail, Microsoft 365).
// Rule: every value here is a credential; none is ever logged, put in an error, or echoed in a message.
import { encodeBase64 } from '../base64';
import { RemoteProtocolError } from '../errors';
import { ScramSha256 } from './scram';

/** A user name and password, or an OAuth 2.0 access token (already resolved by the driver). */
export type Credentials =
  | { readonly user: string; readonly pass: string }
  | { readonly user: string; readonly accessToken: string };

/** One AUTH exchange: an optional initial response, then one answer per 334 challenge. */
export interface SaslExchange {
  readonly mechanism: string;
  /** The base64 initial response sent with `AUTH <mechanism>`, or undefined to wait for a challenge. */
  readonly initialResponse: string | undefined;
  /** Answers a 334 challenge (its base64 text); returns the base64 response line. */
  respond(challenge: string): string;
  /** Called on 235; throws if the mechanism requires a server proof that never came (SCRAM). */
  complete(): void;
}

export type RandomBytes = (length: number) => Uint8Array;

/** The mechanisms strictmail implements, in order of preference for password credentials. */
export const PASSWORD_MECHANISMS = ['SCRAM-SHA-256', 'PLAIN', 'LOGIN'] as const;
export const TOKEN_MECHANISMS = ['XOAUTH2'] as const;

/** Picks the best mechanism the server offers for these credentials, or `null` when none fits. */
export function chooseMechanism(credentials: Credentials, offered: readonly string[]): string | null {
  const candidates: readonly string[] = 'accessToken' in credentials ? TOKEN_MECHANISMS : PASSWORD_MECHANISMS;
  return candidates.find((mechanism) => offered.includes(mechanism)) ?? null;
}

export function startExchange(
  mechanism: string,
  credentials: Credentials,
  randomBytes: RandomBytes,
): SaslExchange {
  if ('accessToken' in credentials) {
    // XOAUTH2 (Google's and Microsoft's documented format): user=U ^A auth=Bearer T ^A ^A.
    const payload = encodeBase64(
      `user=${credentials.user}\x01auth=Bearer ${credentials.accessToken}\x01\x01`,
    );
    return {
      mechanism,
      initialResponse: payload,
      // On failure the server sends a 334 with a JSON error; the client answers with an empty line and
      // the server then sends the final 5xx.
      respond: () => '',
      complete: () => {},
    };
  }
  switch (mechanism) {
    case 'PLAIN': {
      // RFC 4616 §2: [authzid] NUL authcid NUL passwd
      const payload = encodeBase64(`\0${credentials.user}\0${credentials.pass}`);
      return { mechanism, initialResponse: payload, respond: () => payload, complete: () => {} };
    }
    case 'LOGIN': {
      // draft-murchison-sasl-login: the server asks for the user name, then the password. The answer
      // depends on the step, never on the (localised, arbitrary) challenge text.
      const answers = [encodeBase64(credentials.user), encodeBase64(credentials.pass)];
      let step = 0;
      return {
        mechanism,
        initialResponse: undefined,
        respond: () => {
          const answer = answers[step++];
          if (answer === undefined) {
            throw new RemoteProtocolError(
              'UNEXPECTED_REPLY',
              'The server sent a third 334 challenge to AUTH LOGIN. Expected two (user name, password).',
              { command: 'AUTH LOGIN' },
            );
          }
          return answer;
        },
        complete: () => {},
      };
    }
    case 'SCRAM-SHA-256':
      return new ScramSha256(credentials.user, credentials.pass, randomBytes);
    default:
      throw new Error(`internal: unsupported SASL mechanism ${mechanism}`);
  }
}
