// The AUTH decision: accept any credentials, or only the listed accounts (PLAIN and LOGIN by password,
// XOAUTH2 by access token). Every exchange that reaches this check is recorded on its session, with the
// secrets the client sent (kept non-enumerable by the recorder). Failures answer as real servers do:
// 535 for PLAIN and LOGIN (RFC 4954 §6), the JSON error challenge for XOAUTH2.
import type {
  SMTPServerAuthentication,
  SMTPServerAuthenticationResponse,
  SMTPServerSession,
} from 'smtp-server';
import { smtpError } from './errors';
import type { AuthOptions } from './options';
import type { SessionRecorder } from './session';

/** Builds smtp-server's `onAuth` hook. */
export function createAuthHandler(
  auth: AuthOptions | false,
  sessionOf: (session: SMTPServerSession) => SessionRecorder | undefined,
) {
  return function onAuth(
    credentials: SMTPServerAuthentication,
    session: SMTPServerSession,
    callback: (error: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void,
  ): void {
    const accept = auth === false ? [] : (auth.accept ?? 'any');
    const username = credentials.username ?? null;
    const accepted =
      accept === 'any' ||
      accept.some((user) =>
        credentials.method === 'XOAUTH2'
          ? user.user === username &&
            user.accessToken !== undefined &&
            user.accessToken === credentials.accessToken
          : user.user === username && user.pass !== undefined && user.pass === credentials.password,
      );
    sessionOf(session)?.recordAuth(
      credentials.method,
      username,
      { password: credentials.password ?? undefined, accessToken: credentials.accessToken ?? undefined },
      accepted ? 'accepted' : 'rejected',
    );
    if (accepted) {
      callback(null, { user: username ?? '' });
    } else if (credentials.method === 'XOAUTH2') {
      // The XOAUTH2 failure challenge (a JSON status), after which the client sends an empty line.
      callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } });
    } else {
      // RFC 4954 §6: 535 5.7.8 Authentication credentials invalid.
      callback(smtpError(535, 'Authentication credentials invalid'));
    }
  };
}
