// The one build configuration every package shares: ESM + CJS + .d.ts + sourcemaps, Node 20.
// A package's own tsup.config.ts only names its entry points.
import type { Options } from 'tsup';

export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    ...extra,
  };
}
