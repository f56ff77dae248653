import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// tls-policy's error base is bundled so the client process starts even while a sibling package's dist
// is being rebuilt; the clients themselves are imported by name at run time (see client-adapters.ts).
export default defineConfig(
  packageBuild(
    { run: 'src/run.ts', 'client-process': 'src/client-process.ts' },
    { format: ['esm'], dts: false, noExternal: ['@strictmail/tls-policy'] },
  ),
);
