// The sans-I/O rule, checked: nothing below `src/index.ts` (everything outside `src/node/` and
// `src/node.ts`) imports a Node built-in, reads a clock, sets a timer or uses Buffer (STYLE.md).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const sourceRoot = fileURLToPath(new URL('.', import.meta.url));

function coreFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node' ? [] : coreFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && entry.name !== 'node.ts'
      ? [path]
      : [];
  });
}

const forbidden: [string, RegExp][] = [
  ['a node: import', /from ['"]node:/],
  ['a bare built-in import', /from ['"](?:fs|net|tls|crypto|events|stream|timers)['"]/],
  ['Buffer', /\bBuffer\s*[.(]/],
  ['a timer', /\b(?:setTimeout|setInterval|setImmediate)\s*\(/],
  ['a clock', /\b(?:Date\.now|performance\.now|new Date)\s*\(/],
];

describe('the sans-I/O core is pure', () => {
  const files = coreFiles(sourceRoot);
  it('has core files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });
  it.each(forbidden)('contains no %s', (_what, pattern) => {
    const offenders = files.filter((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .some(
          (line) =>
            !line.trimStart().startsWith('//') && !line.trimStart().startsWith('*') && pattern.test(line),
        ),
    );
    expect(offenders.map((file) => relative(sourceRoot, file))).toEqual([]);
  });
});
