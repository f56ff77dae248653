import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// One ESM bin. `splitting` puts what `demo` loads on demand (the mock server) in its own chunk, so
// `send` — run once per scenario by `strictmail-mock audit` — starts without it.
export default defineConfig(
  packageBuild({ cli: 'src/cli.ts' }, { format: ['esm'], dts: false, splitting: true }),
);
