import { DEPLOY_COMMAND, HISTORY_COMMAND, ROLLBACK_COMMAND } from './deploy';
import { CliCommand } from './io';

/** Every command of the `habr-k8s` bin, in the order `habr-k8s --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  DEPLOY_COMMAND,
  HISTORY_COMMAND,
  ROLLBACK_COMMAND,
];
