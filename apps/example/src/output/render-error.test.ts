// Every failure says what happened, its code, and what to do; the advice never says to weaken TLS.
import { ConfigurationError, SecurityError } from '@strictmail/tls-policy';
import { describe, expect, it } from 'vitest';
import { createPalette } from './colour';
import { renderError } from './render-error';

const plain = createPalette(false);

describe('renderError', () => {
  it('gives code-specific advice for a security refusal, pointing at `check`', () => {
    const rendered = renderError(new SecurityError('CERTIFICATE_UNTRUSTED', 'chain does not verify.'), plain);
    expect(rendered.lines[0]).toBe('✖ strictmail refused to send: SecurityError CERTIFICATE_UNTRUSTED');
    expect(rendered.json).toMatchObject({
      code: 'CERTIFICATE_UNTRUSTED',
      kind: 'security',
      transient: false,
    });
    expect(rendered.json.advice).toMatch(/--ca FILE .*--pin PIN --pins-only/);
    expect(rendered.json.advice).toContain('strictmail-example check');
  });

  it("reads @strictmail/nodemailer's strictmailCode beside nodemailer's code", () => {
    const error = Object.assign(new SecurityError('STARTTLS_STRIPPED', 'no STARTTLS.'), {
      code: 'ETLS',
      strictmailCode: 'STARTTLS_STRIPPED',
      command: 'EHLO',
      responseCode: 250,
      response: 'mail.example.test',
    });
    const rendered = renderError(error, plain);
    expect(rendered.json).toMatchObject({
      code: 'STARTTLS_STRIPPED',
      nodemailerCode: 'ETLS',
      replyCode: 250,
    });
    expect(rendered.lines).toContain('  command   EHLO');
    expect(rendered.lines.join('\n')).toContain('do not retry over this network');
  });

  it('falls back to advice by kind, and never advises disabling verification', () => {
    for (const error of [
      new ConfigurationError('INVALID_OPTION', 'bad option.'),
      new SecurityError('TLS_HANDSHAKE_FAILED', 'handshake failed.'),
    ]) {
      const advice = String(renderError(error, plain).json.advice);
      expect(advice.length).toBeGreaterThan(10);
      expect(advice).not.toMatch(/rejectUnauthorized|NODE_TLS_REJECT_UNAUTHORIZED|disable/i);
    }
  });

  it('renders a non-strictmail error as its message', () => {
    expect(renderError(new Error('boom'), plain).lines).toEqual(['✖ failed: boom']);
  });
});
