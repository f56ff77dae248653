#!/usr/bin/env node
// Hand-picked TLS versions and cipher strings, handed to strictmail: each one is refused before any
// connection exists, with the reason and the safe alternative. Run from apps/example after a build:
//   node examples/refused-tls-settings.mjs
import { strictmail } from '@strictmail/nodemailer';
import { requireStarttls } from '@strictmail/tls-policy';

const attempts = [
  ['requireStarttls({ minVersion: "TLSv1" })', () => requireStarttls({ minVersion: 'TLSv1' })],
  [
    "strictmail({ tls: { ciphers: 'ECDH+AESGCM:...:RSA+3DES:!aNULL:!eNULL:!MD5' } })",
    () =>
      strictmail({
        host: 'smtp.example.com',
        port: 587,
        tls: { ciphers: 'ECDH+AESGCM:DH+AESGCM:ECDH+AES256:RSA+AESGCM:RSA+AES:RSA+3DES:!aNULL:!eNULL:!MD5' },
      }),
  ],
  [
    "strictmail({ tls: { minVersion: 'TLSv1' } })",
    () => strictmail({ host: 'smtp.example.com', port: 587, tls: { minVersion: 'TLSv1' } }),
  ],
  [
    'strictmail({ tls: { rejectUnauthorized: false } })',
    () => strictmail({ host: 'smtp.example.com', port: 587, tls: { rejectUnauthorized: false } }),
  ],
];

let refused = 0;
for (const [label, attempt] of attempts) {
  try {
    attempt();
    console.log(`accepted (unexpected): ${label}`);
  } catch (error) {
    refused += 1;
    console.log(`${label}\n  -> ${error.code}: ${error.message}\n`);
  }
}
process.exitCode = refused === attempts.length ? 0 : 1;
