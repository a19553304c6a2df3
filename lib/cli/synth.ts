/** `habr-k8s synth`: a drop-in for `cdk8s synth` that validates the whole app and writes it atomically. */
import * as path from 'path';
import { recoverOutput } from '../output/write';
import { SynthesisError, synthesize } from '../render/synthesize';
import { formatReport } from '../validation';
import { UsageError, UserError } from '../errors';
import { APP_OPTIONS_HELP, AppTarget, captureApp, parseAppOptions, resolveApp, shownPath, withProcessState, workDirOf } from './app-entry';
import { CliCommand, CommandIo } from './io';

/** The environment an entry runs in: the output folder as the cdk8s CLI passes it, and the stage. */
export function entryEnvironment(target: AppTarget): Record<string, string | undefined> {
  return { CDK8S_OUTDIR: path.relative(target.projectDir, target.output) || '.', ...(target.stage !== undefined ? { STAGE: target.stage } : {}) };
}

/**
 * The folder synth replaces as a whole: refused when it holds the project (an outdir of '' or '.',
 * or an ancestor), since replacing it would take the project's own files.
 */
function outputFolderOf(outdir: string, projectDir: string): string {
  const folder = path.resolve(projectDir, outdir);
  const fromOutput = path.relative(folder, projectDir);
  if (fromOutput === '' || !(fromOutput.startsWith('..') || path.isAbsolute(fromOutput))) {
    const which = fromOutput === '' ? 'is the project folder' : `contains the project folder ${projectDir}`;
    throw new UserError(`the App's outdir ${JSON.stringify(outdir)} (${folder}) ${which}, which synth would replace as a whole: `
      + "give the App a folder of its own, e.g. new App({ outdir: 'dist' }), or no outdir to use --output or the output of cdk8s.yaml");
  }
  return folder;
}

async function runSynth(args: readonly string[], io: CommandIo): Promise<number> {
  const { options, rest } = parseAppOptions(args);
  if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}`);
  const target = resolveApp(options, io);
  return withProcessState(target.projectDir, entryEnvironment(target), async () => {
    const workDir = workDirOf(target.projectDir);
    // A synth interrupted by a crash is finished (or undone) first.
    recoverOutput(workDir);
    const app = await captureApp(target.entry, io.cwd);
    const outdir = shownPath(outputFolderOf(app.outdir, target.projectDir), io.cwd);
    try {
      const result = synthesize(app, app.outdir, {
        workDir,
        onWait: (pid) => io.err(`synth: waiting for another synth (pid ${pid}) to finish writing`),
      });
      for (const m of result.manifests) io.out(`${path.join(outdir, m.file)}  ${m.objects.length} objects`);
      for (const file of result.commit.foreignManifests) io.out(`${shownPath(path.resolve(target.projectDir, file), io.cwd)}  kept: not written by synth, yet kubectl apply -f ${outdir} reads it`);
      if (result.report.warnings) io.out(formatReport(result.report));
      io.out(`${outdir}: ${result.objects.length} objects in ${result.files.length} files, ${result.report.warnings} warnings${result.commit.changed ? '' : ' (unchanged)'}`);
      return 0;
    } catch (error) {
      if (!(error instanceof SynthesisError)) throw error;
      io.err(formatReport(error.report));
      io.err(`nothing written to ${outdir}`);
      return 1;
    }
  });
}

export const SYNTH_COMMAND: CliCommand = {
  name: 'synth',
  summary: 'run the app\'s entry (as cdk8s synth does), validate the whole app, write its manifests atomically',
  help: [
    'usage: habr-k8s synth [--app ENTRY] [--output DIR] [--stage NAME]',
    '',
    'Runs the entry in this process; the App it calls app.synth() on is validated as a whole and written',
    'to its outdir in one crash-safe commit (nothing is written when a check fails). Prints each file',
    'with its object count, every warning and a summary line. Exit code 1 on errors, 2 on a wrong command line.',
    '',
    APP_OPTIONS_HELP,
  ].join('\n'),
  run: runSynth,
};
