import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig(packageBuild({ cli: 'src/cli.ts' }, { format: ['esm'], dts: false }));
