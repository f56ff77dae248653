#!/usr/bin/env node
// Offline release dry run: packs every published package exactly as `pnpm publish` would (workspace:^
// ranges rewritten) into .tmp/release/, and lists each tarball's files and size. Nothing is uploaded.
// The same allow-list as check-package.mjs applies: dist/, README.md, CHANGELOG.md, LICENSE, package.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const destination = resolve('.tmp/release');
rmSync(destination, { recursive: true, force: true });
mkdirSync(destination, { recursive: true });
const allowed = /^package\/(dist\/.*|README\.md|CHANGELOG\.md|LICENSE|package\.json)$/;
let problems = 0;
for (const name of readdirSync('packages')) {
  const directory = join('packages', name);
  const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
  if (manifest.private) continue;
  const before = new Set(readdirSync(destination));
  execFileSync('pnpm', ['pack', '--pack-destination', destination], { cwd: directory, stdio: 'ignore' });
  const tarball = readdirSync(destination).find((file) => !before.has(file));
  const path = join(destination, tarball);
  const files = execFileSync('tar', ['-tzf', path], { encoding: 'utf8' }).trim().split('\n');
  const packed = JSON.parse(
    execFileSync('tar', ['-xOzf', path, 'package/package.json'], { encoding: 'utf8' }),
  );
  const unexpected = files.filter((file) => !allowed.test(file));
  problems += unexpected.length;
  const dependencies = Object.entries(packed.dependencies ?? {})
    .map(([dependency, range]) => `${dependency}@${range}`)
    .join(', ');
  console.log(
    `\n${manifest.name}@${manifest.version}  ${tarball}  ${(statSync(path).size / 1024).toFixed(1)} kB`,
  );
  console.log(`  dependencies: ${dependencies || 'none'}`);
  const topLevel = [...new Set(files.map((file) => file.replace(/^package\//, '').replace(/\/.*$/, '/')))];
  console.log(`  contents (${files.length} files): ${topLevel.join(' ')}`);
  for (const file of unexpected) console.log(`  UNEXPECTED ${file}`);
}
console.log(`\nTarballs in ${destination}; nothing was published.`);
process.exit(problems > 0 ? 1 : 0);
