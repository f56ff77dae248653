// `check HOST:PORT` as a function: reach TLS the way the port expects, read the certificate, probe
// TLS 1.3 and 1.2 separately as strictmail would (verified and judged), look for what a careless
// client could negotiate (TLS 1.0/1.1, weak TLS 1.2 suites), compare AUTH before and after TLS, and
// name the policy that works. Rule: every verdict comes from @strictmail/tls-policy; this file only
// sequences probes and words the findings.
import { implicitTls, judgeCipherSuite, requireStarttls, type TlsReceipt } from '@strictmail/tls-policy';
import { diagnoseHandshakeError } from '@strictmail/tls-policy/node';
import { type CertificateFacts, certificateFacts } from './certificate-facts';
import type { CheckReport, Finding, FindingLevel, VersionProbe } from './check-report';
import {
  HandshakeFailedError,
  openTlsProbe,
  type PlaintextPhase,
  PlaintextPhaseError,
  PROBE_STEP_TIMEOUT_MS,
  type ProbeTarget,
  type TlsProbe,
} from './probe-session';
import { type CandidateTrust, candidatePolicy, recommendPolicy } from './recommend-policy';
import { authMechanisms } from './smtp-dialogue';
import { inspectionOptions, probeJudged, probeLegacyVersions, probeWeakSuites } from './tls-probes';

/** Warn three weeks ahead: ACME clients renew at 30 days left, so less than 21 means renewal is failing. */
export const EXPIRY_WARNING_DAYS = 21;
/** SASL mechanisms that carry the password itself (RFC 4616 PLAIN, draft LOGIN): fatal before TLS. */
const PASSWORD_MECHANISMS = ['PLAIN', 'LOGIN'];

export interface CheckRequest {
  readonly host: string;
  readonly port: number;
  /** PEM CA certificates to trust instead of the system roots (`--ca`). */
  readonly ca?: readonly string[] | undefined;
  /** Name the certificate must carry when it differs from `host` (`--servername`). */
  readonly serverName?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly now?: Date | undefined;
  readonly onProgress?: ((step: string) => void) | undefined;
}

interface Reached {
  readonly entry: CheckReport['entry'];
  readonly probe: TlsProbe | undefined;
  readonly plaintext: Partial<PlaintextPhase> | undefined;
  readonly greeting: string | undefined;
}

type AddFinding = (level: FindingLevel, topic: string, text: string) => void;

async function reachTls(
  target: ProbeTarget,
  request: CheckRequest,
  name: string,
  add: AddFinding,
): Promise<Reached> {
  const options = inspectionOptions(request.ca, name);
  request.onProgress?.('trying implicit TLS');
  let implicitError: unknown;
  try {
    const probe = await openTlsProbe(target, 'implicit-tls', options);
    return { entry: 'implicit-tls', probe, plaintext: undefined, greeting: probe.greeting };
  } catch (error) {
    implicitError = error instanceof HandshakeFailedError ? error.cause : error;
  }
  const implicit = diagnoseHandshakeError(implicitError, {
    policy: implicitTls(),
    host: target.host,
    port: target.port,
  });
  if (implicit.diagnosis === 'server-protocol-too-old' || implicit.diagnosis === 'no-shared-cipher-suite') {
    // The server did speak TLS: it is an implicit-TLS port whose TLS is too weak for any policy.
    add('fail', 'tls-handshake', implicit.message);
    return { entry: 'none', probe: undefined, plaintext: undefined, greeting: undefined };
  }
  request.onProgress?.('trying a plaintext greeting and STARTTLS');
  try {
    const probe = await openTlsProbe(target, 'starttls', options, undefined, true);
    return { entry: 'starttls', probe, plaintext: probe.plaintext, greeting: probe.plaintext?.greeting };
  } catch (error) {
    if (error instanceof HandshakeFailedError) {
      const policy = requireStarttls();
      add('fail', 'tls-handshake', diagnoseHandshakeError(error.cause, { policy, ...target }).message);
      return {
        entry: 'none',
        probe: undefined,
        plaintext: error.plaintext,
        greeting: error.plaintext?.greeting,
      };
    }
    const phase = error instanceof PlaintextPhaseError ? error.phase : {};
    if (phase.greeting === undefined) {
      add(
        'fail',
        'no-smtp',
        `Neither implicit TLS nor a plaintext SMTP greeting: implicit TLS failed (${implicit.message}), and the ` +
          `plaintext attempt failed: ${(error as Error).message}. Check the host and port.`,
      );
    } else if (phase.capabilities !== undefined && !phase.capabilities.includes('STARTTLS')) {
      add(
        'fail',
        'starttls-missing',
        'The server greets in plaintext but does not advertise STARTTLS, so strictmail refuses to send ' +
          '(STARTTLS_STRIPPED, RFC 3207 §4): either the server has no TLS, or something on the path removed ' +
          'STARTTLS from the EHLO reply. Ask for TLS (port 465 implicit TLS, or STARTTLS on 587).',
      );
    } else {
      add(
        'fail',
        'starttls-refused',
        `STARTTLS failed before the handshake: ${(error as Error).message}. strictmail refuses to continue ` +
          '(STARTTLS_REFUSED: only exactly 220 starts TLS, RFC 3207 §4).',
      );
    }
    return { entry: 'none', probe: undefined, plaintext: phase, greeting: phase.greeting };
  }
}

function certificateFindings(facts: CertificateFacts, request: CheckRequest, add: AddFinding): void {
  const roots = request.ca === undefined ? "Node's bundled Mozilla roots" : 'the --ca certificates';
  if (facts.chainVerified) add('ok', 'certificate-chain', `The certificate chain verifies against ${roots}.`);
  else {
    add(
      facts.selfSigned ? 'warn' : 'fail',
      'certificate-chain',
      `The certificate chain does not verify against ${roots} (${facts.verificationError ?? 'unknown reason'})` +
        (facts.selfSigned
          ? ': the certificate is self-signed. Pin its key (below), or give its CA with --ca.'
          : '.'),
    );
  }
  if (facts.hostnameVerified) add('ok', 'certificate-name', `The certificate names ${facts.nameChecked}.`);
  else {
    add(
      'warn',
      'certificate-name',
      `The certificate does not name ${facts.nameChecked} (RFC 6125 §6): ${facts.hostnameError}` +
        (facts.dnsNames.length > 0 ? ` It names ${facts.dnsNames.join(', ')}.` : ''),
    );
  }
  if (facts.expired)
    add('fail', 'certificate-expiry', `The certificate expired ${-facts.daysLeft} day(s) ago.`);
  else if (facts.notYetValid)
    add('fail', 'certificate-expiry', 'The certificate is not valid yet (check clocks).');
  else if (facts.daysLeft < EXPIRY_WARNING_DAYS) {
    add(
      'warn',
      'certificate-expiry',
      `The certificate expires in ${facts.daysLeft} day(s): is renewal working?`,
    );
  } else add('ok', 'certificate-expiry', `The certificate is valid for ${facts.daysLeft} more days.`);
}

function chooseTrust(facts: CertificateFacts, serverName: string | undefined): CandidateTrust | undefined {
  // A name given with --servername is part of every candidate: it is what the certificate was checked against.
  const named: CandidateTrust = serverName === undefined ? {} : { serverName };
  if (facts.chainVerified && facts.hostnameVerified) return named;
  if (facts.chainVerified && facts.dnsNames[0] !== undefined) return { serverName: facts.dnsNames[0] };
  // A pin authenticates exactly this key; it is offered only for a certificate that is in its validity
  // period, so an expired public certificate is reported for renewal rather than pinned around.
  if (!facts.expired && !facts.notYetValid) return { ...named, pins: [facts.leafSpkiSha256], pinsOnly: true };
  return undefined;
}

function probeFindings(probes: readonly VersionProbe[], add: AddFinding): void {
  for (const probe of probes) {
    const suite = `${probe.protocol ?? ''} ${probe.cipher ?? ''}`.trim();
    if (probe.version === 'TLSv1.1 or older') {
      if (probe.accepted) {
        add(
          'warn',
          'legacy-tls',
          `The server still accepts ${suite} (deprecated by RFC 8996); strictmail never offers it.`,
        );
      } else add('ok', 'legacy-tls', 'TLS 1.0 and 1.1 are refused by the server.');
    } else if (probe.version === 'TLSv1.2 weak suites') {
      if (probe.accepted) {
        // The judgement is tls-policy's; its reason reads "... which is refused: <why>. Accepted on ...".
        const verdict = judgeCipherSuite(probe.protocol, probe.cipher);
        const why = verdict.accepted
          ? 'it is not on its list'
          : (/refused: (.*?)\. Accepted/.exec(verdict.reason)?.[1] ?? verdict.reason);
        add(
          'info',
          'weak-suites',
          `On TLS 1.2 the server also accepts ${probe.cipher}, which strictmail never offers: ${why}; ` +
            'a client with a permissive or hand-picked cipher string can end up on it.',
        );
      } else
        add('ok', 'weak-suites', 'The server refuses the TLS 1.2 suites strictmail refuses (RFC 9325 §4).');
    } else if (probe.accepted) {
      add(
        'ok',
        'tls-version',
        `${probe.version} works as strictmail connects: ${probe.cipher}, verified and judged.`,
      );
    } else {
      add(
        probe.version === 'TLSv1.3' ? 'info' : 'warn',
        'tls-version',
        `${probe.version} as strictmail connects: refused (${probe.errorCode ?? 'error'}): ${probe.error}`,
      );
    }
  }
}

export async function runCheck(request: CheckRequest): Promise<CheckReport> {
  const timeoutMs = request.timeoutMs ?? PROBE_STEP_TIMEOUT_MS;
  const target: ProbeTarget = { host: request.host, port: request.port, timeoutMs };
  const name = request.serverName ?? request.host.replace(/^\[(.*)\]$/, '$1');
  const findings: Finding[] = [];
  const add: AddFinding = (level, topic, text) => findings.push({ level, topic, text });

  const reached = await reachTls(target, request, name, add);
  const capabilitiesBeforeTls = reached.plaintext?.capabilities;
  const authBeforeTls = authMechanisms(capabilitiesBeforeTls ?? []);
  if (reached.entry === 'implicit-tls')
    add('ok', 'entry', 'Implicit TLS (RFC 8314 §3): nothing is ever sent in plaintext.');
  if (reached.entry === 'starttls')
    add('ok', 'entry', 'STARTTLS is offered and answered with 220 (RFC 3207).');
  const passwordsBeforeTls = authBeforeTls.filter((mechanism) => PASSWORD_MECHANISMS.includes(mechanism));
  const authReply = reached.plaintext?.authBeforeTlsReply;
  if (passwordsBeforeTls.length > 0 && authReply === 334) {
    add(
      'warn',
      'auth-before-tls',
      `The server offers AUTH ${passwordsBeforeTls.join(' ')} before TLS and answered AUTH PLAIN with 334: a ` +
        'client that does not insist on TLS would send the password in plaintext. strictmail never ' +
        'authenticates before verified TLS.',
    );
  } else if (passwordsBeforeTls.length > 0) {
    add(
      'info',
      'auth-before-tls',
      `The server advertises AUTH ${passwordsBeforeTls.join(' ')} before TLS but refused AUTH PLAIN there ` +
        `(${authReply ?? 'no reply'}; RFC 4954 §4), so a password would not be taken in plaintext.`,
    );
  }
  const injected = reached.plaintext?.injectedBeforeTls;
  if (injected !== undefined && injected.length > 0) {
    add(
      'fail',
      'pre-tls-injection',
      `${injected.length} byte(s) arrived after the 220 to STARTTLS and before the handshake: strictmail refuses ` +
        'this (PRE_TLS_DATA_INJECTED, RFC 3207 §6); a man in the middle may be injecting commands.',
    );
  }
  if (reached.probe === undefined || reached.entry === 'none') {
    return {
      host: request.host,
      port: request.port,
      entry: 'none',
      greeting: reached.greeting,
      capabilitiesBeforeTls,
      capabilitiesAfterTls: undefined,
      authBeforeTls,
      authBeforeTlsReply: reached.plaintext?.authBeforeTlsReply,
      authAfterTls: [],
      certificate: undefined,
      probes: [],
      findings,
      policy: undefined,
    };
  }
  const entry = reached.entry;
  const inspection = reached.probe;
  let facts: CertificateFacts;
  try {
    facts = certificateFacts(inspection.socket, name, request.now ?? new Date());
  } finally {
    await inspection.close();
  }
  add(
    'info',
    'inspection',
    'The certificate, and below the TLS 1.0/1.1 and legacy-suite probes, were read over inspection handshakes ' +
      'with verification off (only EHLO and QUIT were sent on them). The TLS 1.3/1.2 verdicts and the policy ' +
      'come from separate, verified and judged handshakes.',
  );
  certificateFindings(facts, request, add);

  const trust = chooseTrust(facts, request.serverName);
  const probes: VersionProbe[] = [];
  let receipt: TlsReceipt | undefined;
  let judgedCapabilities: string[] | undefined;
  if (trust !== undefined) {
    for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
      request.onProgress?.(`${version} as strictmail connects`);
      const policy = candidatePolicy(entry, trust, request.ca, version);
      const judged = await probeJudged(target, entry, policy, version);
      probes.push(judged.probe);
      receipt ??= judged.receipt;
      judgedCapabilities ??= judged.capabilities;
    }
  }
  request.onProgress?.('TLS 1.0/1.1 and weak TLS 1.2 suites (inspection)');
  probes.push(await probeLegacyVersions(target, entry, name));
  probes.push(await probeWeakSuites(target, entry, name));
  probeFindings(probes, add);

  const capabilitiesAfterTls =
    judgedCapabilities ?? (inspection.capabilities instanceof Error ? undefined : inspection.capabilities);
  const authAfterTls = authMechanisms(capabilitiesAfterTls ?? []);
  if (authAfterTls.length === 0)
    add('info', 'auth-after-tls', 'No AUTH is offered over TLS: the server takes no credentials.');
  const needsCaFile = request.ca !== undefined && trust?.pinsOnly !== true;
  const policy =
    trust !== undefined && receipt !== undefined
      ? recommendPolicy(request.host, request.port, entry, trust, needsCaFile, receipt)
      : undefined;
  if (policy === undefined)
    add('fail', 'policy', 'No strictmail policy can send to this server safely (see above).');
  return {
    host: request.host,
    port: request.port,
    entry,
    greeting: reached.greeting,
    capabilitiesBeforeTls,
    capabilitiesAfterTls,
    authBeforeTls,
    authBeforeTlsReply: reached.plaintext?.authBeforeTlsReply,
    authAfterTls,
    certificate: facts,
    probes,
    findings,
    policy,
  };
}
