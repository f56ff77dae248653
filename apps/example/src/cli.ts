#!/usr/bin/env node
// The `strictmail-example` bin: hands argv, the process streams and the environment to `main`, and
// exits with its code. Ctrl-C aborts the running command through its AbortSignal; a closed pipe on
// stdout (`... | head`) ends the program quietly, as it does for any Unix filter.
import { main } from './main';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('interrupted (SIGINT)')));
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  environment: process.env,
  signal: controller.signal,
});
