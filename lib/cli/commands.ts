import { DIFF_COMMAND } from './diff';
import { HELM_COMMAND } from './helm';
import { IMPORT_COMPOSE_COMMAND } from './import-compose';
import { CliCommand } from './io';
import { SYNTH_COMMAND } from './synth';
import { VALIDATE_COMMAND } from './validate-command';

/** Every command of the `habr-k8s` bin, in the order `habr-k8s --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  SYNTH_COMMAND,
  VALIDATE_COMMAND,
  DIFF_COMMAND,
  HELM_COMMAND,
  IMPORT_COMPOSE_COMMAND,
];
