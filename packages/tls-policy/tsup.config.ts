import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// `./node` imports the `.` entry by name and keeps it external, so both entries share one copy of the
// error classes (`instanceof SecurityError` holds for errors thrown by the judge).
export default defineConfig(
  packageBuild({ index: 'src/index.ts', node: 'src/node.ts' }, { external: ['@strictmail/tls-policy'] }),
);
