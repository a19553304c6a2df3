/**
 * The `habr-k8s` bin's entry for `habr-k8s validate`: the command alone, so that the bundle the bin
 * runs in a checkout holds no other command's code (less to read and to take from V8's code cache
 * at every start; docs/validate-performance.md).
 */
import { directProcessIo, dispatch } from './dispatch';
import { VALIDATE_COMMAND } from './validate-command';

/** Runs `habr-k8s validate …` (`args` start with `validate`), sets the process's exit code and ends it. */
export async function main(args: readonly string[]): Promise<void> {
  process.exitCode = await dispatch(args, directProcessIo(), [VALIDATE_COMMAND]);
  // Nothing of validate's is left running, and its report is written (synchronously): the process
  // ends now instead of waiting for V8's background tasks (compiling, collecting garbage) to drain,
  // as it otherwise does at the end of some runs.
  process.exit();
}
