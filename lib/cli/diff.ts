/**
 * `habr-k8s diff`: the semantic diff of two manifest folders, of the output folder and a fresh
 * synth, or (`--live`) of a stage's output folder and the live cluster. The Kubernetes client is
 * loaded only for `--live`.
 */
import * as path from 'path';
import { diffFolders, diffManifests, formatDiff } from '../diff/diff';
import { UsageError } from '../errors';
import { loadManifestFolder } from '../manifest/load';
import { recoverOutput } from '../output/write';
import { renderObjects } from '../render/synthesize';
import { APP_OPTIONS_HELP, captureApp, parseAppOptions, resolveApp, shownPath, withProcessState, workDirOf } from './app-entry';
import { CliCommand, CommandIo } from './io';
import { entryEnvironment } from './synth';
import { CONNECTION_HELP, parseOptions, readStageFolder, stageFolder, stageOf } from './deploy';
import { liveDiff } from '../deploy/live-diff';

const LIVE_FLAG = '--live';

/**
 * `diff --live [FOLDER]`: the plan of a deploy of the stage's folder, without deploying. Exit code
 * 0 whether or not the cluster differs, as without `--live`; 1 when the server refuses an object.
 */
async function runLiveDiff(args: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseOptions(args, ['--stage', '--kubeconfig', '--context', '--namespace'], [LIVE_FLAG], 1);
  const stage = stageOf(parsed);
  const objects = readStageFolder(parsed.positional[0] ?? stageFolder(stage), io);
  const diff = await liveDiff(objects, {
    stage,
    namespace: parsed.values['--namespace'],
    kubeconfig: parsed.values['--kubeconfig'],
    context: parsed.values['--context'],
  }, io.env, io.cwd);
  diff.lines.forEach((line) => io.out(line));
  return diff.refusals ? 1 : 0;
}

async function runDiff(args: readonly string[], io: CommandIo): Promise<number> {
  if (args.includes(LIVE_FLAG)) return runLiveDiff(args, io);
  const { options, rest } = parseAppOptions(args);
  if (rest.length) {
    if (rest.length !== 2) throw new UsageError(`expected two folders, <before> <after>, got ${rest.length}: ${rest.join(' ')}`);
    if (Object.keys(options).length) throw new UsageError('--app, --output and --stage go with a fresh synth, not with two folders');
    const [before, after] = rest.map((folder) => path.resolve(io.cwd, folder));
    io.out(formatDiff(diffFolders(before, after)).replace(/\n$/, ''));
    return 0;
  }
  const target = resolveApp(options, io);
  return withProcessState(target.projectDir, entryEnvironment(target), async () => {
    recoverOutput(workDirOf(target.projectDir));
    const app = await captureApp(target.entry, io.cwd);
    const rendered = renderObjects(app);
    const outdir = shownPath(path.resolve(target.projectDir, app.outdir), io.cwd);
    io.out(`${outdir}/ (written) → fresh synth of ${shownPath(target.entry, io.cwd)}`);
    io.out(formatDiff(diffManifests(loadManifestFolder(app.outdir, undefined, { recursive: false }), rendered.objects)).replace(/\n$/, ''));
    return 0;
  });
}

export const DIFF_COMMAND: CliCommand = {
  name: 'diff',
  summary: 'what a fresh synth would change in the output folder, the difference of two folders, or (--live) what a deploy would change on the cluster',
  help: [
    'usage: habr-k8s diff [--app ENTRY] [--output DIR] [--stage NAME]',
    '       habr-k8s diff <before-folder> <after-folder>',
    '       habr-k8s diff --live [FOLDER] [--stage NAME] [--kubeconfig FILE] [--context NAME] [--namespace NS]',
    '',
    'Without folders: runs the entry as synth does and compares its objects with those in its output',
    'folder, writing nothing. With two folders: compares their manifests. Prints added, removed, moved',
    'and changed objects with each changed field (old → new); exit code 0 whether or not they differ.',
    '',
    APP_OPTIONS_HELP,
    '',
    'With --live: what habr-k8s deploy would change on the cluster, changing nothing. FOLDER (default:',
    'dist/ for stage dev, dist/<stage>/ otherwise) is validated, every object server-side dry-run applied',
    'and compared field by field with the live one (managed fields, status and server defaults left out,',
    'Secret values masked); the members of the stage\'s ApplySet the folder no longer has are listed as',
    'removed (they would be pruned). Exit code 0 whether or not the cluster differs ("no changes" when it',
    'does not), 1 when the server refuses an object (each refusal named) or cannot be reached, 2 a wrong',
    'command line. Needs @kubernetes/client-node, as habr-k8s deploy does.',
    '',
    '  --stage NAME         the stage: its folder and its ApplySet (default: dev)',
    ...CONNECTION_HELP,
  ].join('\n'),
  run: runDiff,
};
