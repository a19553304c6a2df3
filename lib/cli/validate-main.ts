/**
 * The `habr-k8s` bin's entry for `habr-k8s validate`: the command alone, so that the bundle the bin
 * runs in a checkout holds no other command's code (less to read and to take from V8's code cache
 * at every start; docs/validate-performance.md).
 */
import { runCli } from './dispatch';
import { VALIDATE_COMMAND } from './validate-command';

/** Runs `habr-k8s validate …` (`args` start with `validate`), sets the process's exit code and ends it. */
export async function main(args: readonly string[]): Promise<void> {
  await runCli(args, [VALIDATE_COMMAND]);
  // Nothing of validate's is left running once its report is written: the process ends now instead of
  // waiting for V8's background tasks (compiling, collecting garbage) to drain, as it otherwise does
  // at the end of some runs. Output still queued (an asynchronous pipe) is let out first.
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
}
