#!/usr/bin/env node
// A client under audit: nodemailer's SMTP transport, configured from the strictmail-mock client
// command contract. `node nodemailer-client.mjs` uses nodemailer's defaults (secure for implicit TLS,
// otherwise opportunistic STARTTLS) and trusts SMTP_CA_FILE; `--require-tls` adds `requireTLS: true`,
// nodemailer's documented way to insist on STARTTLS. Exits 0 only when sendMail resolved.
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';

/** Per-stage timeouts (10 s): bounded so a refused scenario ends on its own before the auditor's limit. */
const TIMEOUT_MS = 10_000;

const env = process.env;
const requireTls = process.argv.includes('--require-tls');
const transport = nodemailer.createTransport({
  host: env.SMTP_HOST,
  port: Number(env.SMTP_PORT),
  secure: env.SMTP_SECURITY === 'implicit',
  ...(requireTls ? { requireTLS: true } : {}),
  auth: { user: env.SMTP_USER, pass: env.SMTP_PASS },
  tls: { ca: readFileSync(env.SMTP_CA_FILE, 'utf8') },
  connectionTimeout: TIMEOUT_MS,
  greetingTimeout: TIMEOUT_MS,
  socketTimeout: TIMEOUT_MS,
});
try {
  const info = await transport.sendMail({
    from: env.MAIL_FROM,
    to: env.MAIL_TO.split(','),
    subject: env.MAIL_SUBJECT,
    text: readFileSync(env.MAIL_BODY_FILE, 'utf8'),
  });
  console.log(`sent: ${info.response}`);
  process.exitCode = 0;
} catch (error) {
  console.error(`not sent: ${error.code ?? ''} ${error.message}`);
  process.exitCode = 1;
} finally {
  transport.close();
}
