// The runnable examples the README quotes stay true: each one is run here as a user would run it.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

describe('examples/refused-tls-settings.mjs', () => {
  it('shows every hand-picked weakening refused with INSECURE_OPTION before any connection', async () => {
    const { stdout } = await run(process.execPath, ['examples/refused-tls-settings.mjs'], {
      cwd: packageDirectory,
    });
    expect(stdout.match(/-> INSECURE_OPTION: /g)).toHaveLength(4);
    expect(stdout).toContain('deprecated by RFC 8996');
    expect(stdout).toContain('tls.ciphers was refused');
    expect(stdout).toContain('tls.rejectUnauthorized: false was refused');
    expect(stdout).not.toContain('accepted (unexpected)');
  });
});
