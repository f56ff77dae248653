import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig(
  packageBuild(
    { run: 'src/run.ts', 'client-process': 'src/client-process.ts' },
    { format: ['esm'], dts: false },
  ),
);
