/** `habr-k8s validate`: {@link runValidateCli} in the folder the command was started in. */
import { recoverOutput } from '../output/write';
import { projectDirOf, withProcessState, workDirOf } from './app-entry';
import { CliCommand, CommandIo } from './io';
import { runValidateCli, USAGE } from './validate';

async function runValidate(args: readonly string[], io: CommandIo): Promise<number> {
  // Paths are the user's, relative to where the command was started: the folder read, and every source it reports.
  return withProcessState(io.cwd, {}, async () => {
    // A synth interrupted by a crash is finished first, so its output is never validated half-swapped.
    recoverOutput(workDirOf(projectDirOf(io.cwd)));
    const result = await runValidateCli(args, io.env);
    (result.exitCode === 2 ? io.err : io.out)(result.output);
    return result.exitCode;
  });
}

export const VALIDATE_COMMAND: CliCommand = {
  name: 'validate',
  summary: 'check a folder of manifests as a whole, as kubectl apply -R -f would read it (same checks as synth)',
  help: [
    USAGE,
    '',
    'Reads every manifest file given and in the folders given (and their subfolders, except other synthesized',
    'outputs and Helm charts), then runs the schema of the Kubernetes version and every rule over the whole set.',
    '  --external Kind/name ...   objects created outside the folder (a Secret from kubectl create secret);',
    '                             in an app, declareExternalObject() records them in the output instead',
    '  --no-recursive             only the folder\'s own files',
    '  --kubernetes-version V     the schema version: 1.27 (default) or 1.33',
    '  --server                   also dry-run every object on the cluster of kubectl\'s context',
    '  --kubeconfig, --context, --kubectl   with --server: which cluster, and which kubectl',
    'Exit code 0 no errors, 1 errors found, 2 a wrong command line, an unreadable folder or an unreachable cluster.',
  ].join('\n'),
  run: runValidate,
};
