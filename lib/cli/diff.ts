/** `habr-k8s diff`: the semantic diff of two manifest folders, or of the output folder and a fresh synth. */
import * as path from 'path';
import { diffFolders, diffManifests, formatDiff } from '../diff/diff';
import { UsageError } from '../errors';
import { loadManifestFolder } from '../manifest/load';
import { recoverOutput } from '../output/write';
import { renderObjects } from '../render/synthesize';
import { APP_OPTIONS_HELP, captureApp, parseAppOptions, resolveApp, shownPath, withProcessState, workDirOf } from './app-entry';
import { CliCommand, CommandIo } from './io';
import { entryEnvironment } from './synth';

async function runDiff(args: readonly string[], io: CommandIo): Promise<number> {
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
  summary: 'what a fresh synth would change in the output folder, or the difference of two folders, object by object',
  help: [
    'usage: habr-k8s diff [--app ENTRY] [--output DIR] [--stage NAME]',
    '       habr-k8s diff <before-folder> <after-folder>',
    '',
    'Without folders: runs the entry as synth does and compares its objects with those in its output',
    'folder, writing nothing. With two folders: compares their manifests. Prints added, removed, moved',
    'and changed objects with each changed field (old → new); exit code 0 whether or not they differ.',
    '',
    APP_OPTIONS_HELP,
  ].join('\n'),
  run: runDiff,
};
