/** The `habr-k8s` bin's entry for every command ({@link COMMANDS}) and for `--help` and `--version`. */
import { COMMANDS } from './commands';
import { runCli } from './dispatch';

/** Runs the command line `args` (without `habr-k8s` itself) and sets the process's exit code. */
export function main(args: readonly string[]): Promise<void> {
  return runCli(args, COMMANDS);
}
