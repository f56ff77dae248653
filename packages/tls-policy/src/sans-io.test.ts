// The `.` entry is sans-I/O (STYLE.md): no `node:*` import and no Buffer outside `src/node/` and
// `src/node.ts`, so a non-Node driver can use every decision. Tests are exempt.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const sourceDirectory = new URL('.', import.meta.url).pathname;

describe('the . entry imports nothing from node', () => {
  const files = readdirSync(sourceDirectory).filter(
    (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && name !== 'node.ts',
  );
  it('covers the pure modules', () => {
    expect(files).toEqual(expect.arrayContaining(['index.ts', 'constructors.ts', 'cipher-suites.ts']));
  });
  for (const file of files) {
    it(`${file} has no node:* import and no Buffer`, () => {
      const text = readFileSync(join(sourceDirectory, file), 'utf8');
      expect(text).not.toMatch(/from ['"](node:|\.\/node)/);
      expect(text).not.toMatch(/\bBuffer\b/);
    });
  }
});
