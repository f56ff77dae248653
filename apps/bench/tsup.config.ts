import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig(packageBuild({ run: 'src/run.ts' }, { format: ['esm'], dts: false }));
