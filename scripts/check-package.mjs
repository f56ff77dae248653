#!/usr/bin/env node
// Packs the package in the current directory exactly as `pnpm publish` would, then checks the tarball:
// only dist, README, CHANGELOG, LICENSE and package.json inside; publint clean; are-the-types-wrong clean
// for ESM and CJS consumers alike. Run by `turbo run check:package` from each published package.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const allowed = [
  /^package\/dist\//,
  /^package\/README\.md$/,
  /^package\/CHANGELOG\.md$/,
  /^package\/LICENSE$/,
  /^package\/package\.json$/,
];
const destination = mkdtempSync(join(tmpdir(), 'strictmail-pack-'));
const run = (command, args) =>
  execFileSync(command, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
try {
  run('pnpm', ['pack', '--pack-destination', destination]);
  const tarball = join(
    destination,
    readdirSync(destination).find((name) => name.endsWith('.tgz')),
  );
  const files = run('tar', ['-tzf', tarball]).trim().split('\n');
  const unexpected = files.filter((file) => !allowed.some((pattern) => pattern.test(file)));
  if (unexpected.length > 0) {
    console.error(
      `tarball holds files outside dist/README/CHANGELOG/LICENSE/package.json:\n  ${unexpected.join('\n  ')}`,
    );
    process.exit(1);
  }
  if (!files.includes('package/README.md') || !files.includes('package/LICENSE')) {
    console.error('tarball lacks README.md or LICENSE');
    process.exit(1);
  }
  console.log(`${files.length} files in ${tarball.split('/').pop()}`);
  execFileSync('publint', ['run', tarball, '--strict'], { stdio: 'inherit' });
  // node16 profile: ESM and CJS consumers under Node's own resolution (engines >= 20, so no node10 resolution).
  execFileSync('attw', [tarball, '--profile', 'node16', '--format', 'table-flipped'], { stdio: 'inherit' });
} catch (error) {
  console.error(`package check failed: ${error.message.split('\n')[0]}`);
  process.exitCode = 1;
} finally {
  rmSync(destination, { recursive: true, force: true });
}
