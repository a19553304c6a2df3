import { CliCommand } from './io';

/**
 * A command whose module is loaded when it is first used: `habr-k8s validate` then never loads
 * cdk8s, which the commands that run an app need (about 90 ms of a small folder's validation).
 * `name` is what dispatch matches; test/cli/commands.test.ts holds it equal to the module's own.
 */
function loadedWhenUsed(name: string, load: () => CliCommand): CliCommand {
  return {
    name,
    get summary() { return load().summary; },
    get help() { return load().help; },
    run: (args, io) => load().run(args, io),
  };
}

/** Every command of the `habr-k8s` bin, in the order `habr-k8s --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  loadedWhenUsed('synth', () => (require('./synth') as typeof import('./synth')).SYNTH_COMMAND),
  loadedWhenUsed('validate', () => (require('./validate-command') as typeof import('./validate-command')).VALIDATE_COMMAND),
  loadedWhenUsed('diff', () => (require('./diff') as typeof import('./diff')).DIFF_COMMAND),
  loadedWhenUsed('helm', () => (require('./helm') as typeof import('./helm')).HELM_COMMAND),
  loadedWhenUsed('import compose', () => (require('./import-compose') as typeof import('./import-compose')).IMPORT_COMPOSE_COMMAND),
  loadedWhenUsed('deploy', () => (require('./deploy') as typeof import('./deploy')).DEPLOY_COMMAND),
  loadedWhenUsed('history', () => (require('./deploy') as typeof import('./deploy')).HISTORY_COMMAND),
  loadedWhenUsed('rollback', () => (require('./deploy') as typeof import('./deploy')).ROLLBACK_COMMAND),
];
