/** `habr-k8s helm`: a Helm chart of any app, with the values it declares with `chartValues`. */
import * as path from 'path';
import { App } from 'cdk8s';
import { UsageError } from '../errors';
import { commitOutput, recoverOutput } from '../output/write';
import { chartStage, ChartStage, helmChartOf } from '../render/helm/app-chart';
import { KnobRegistry } from '../render/helm/knobs';
import { chartValuesOf } from '../render/helm/values';
import { SynthesisError } from '../render/synthesize';
import { formatReport } from '../validation';
import { AppOptions, AppTarget, captureApp, parseAppOptions, resolveApp, shownPath, withProcessState, workDirOf } from './app-entry';
import { CliCommand, CommandIo } from './io';
import { entryEnvironment } from './synth';

/** The App an entry builds for `target` (its stage in particular); each call runs the entry afresh. */
export type AppLoader = (target: AppTarget, io: CommandIo) => Promise<App>;

/** Runs the entry as `habr-k8s synth` does, and returns the App it calls `app.synth()` on. */
export const captureTargetApp: AppLoader = (target, io) => withProcessState(target.projectDir, entryEnvironment(target), () => captureApp(target.entry, io.cwd));

export const HELM_HELP = [
  'usage: habr-k8s helm [--app ENTRY] [--stage NAME ...] [--output DIR]',
  '',
  'Writes a Helm chart of the app ENTRY builds: a template per manifest file, Chart.yaml, values.yaml and values.schema.json,',
  'in one crash-safe commit. The values are those the app declares with chartValues; an app that declares none gets fixed',
  'templates and an empty values.yaml. Each stage is validated as synth validates it, and the templates given its values',
  'must render it exactly (a field derived from a value cannot be templated): nothing is written otherwise.',
  'Exit code 1 on errors, 2 on a wrong command line.',
  '',
  '  --app ENTRY     the file that builds the App and calls app.synth(); default: the file the `app` command of the',
  '                  closest cdk8s.yaml runs. Paths on the command line are relative to this folder.',
  '  --stage NAME    given to the entry as STAGE; repeat it for a chart of several stages: the first one\'s values are the',
  '                  defaults, each other\'s are in values-<stage>.yaml, and the value `profile` selects the stage',
  '  --output DIR    the chart\'s folder; default: helm/<chart name> in the output folder of cdk8s.yaml (else dist)',
].join('\n');

/** `--stage` as often as given (each value once), then the options synth takes. */
function parseHelmArguments(args: readonly string[]): { options: AppOptions; stages: readonly (string | undefined)[] } {
  const stages: string[] = [];
  const others: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const match = /^--stage(?:=(.*))?$/.exec(args[i]);
    if (!match) {
      others.push(args[i]);
      continue;
    }
    const value = match[1] ?? args[++i];
    if (value === undefined || value === '' || value.startsWith('-')) throw new UsageError('--stage needs a value');
    if (stages.includes(value)) throw new UsageError(`--stage ${value} given twice`);
    stages.push(value);
  }
  const { options, rest } = parseAppOptions(others);
  if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}`);
  return { options, stages: stages.length ? stages : [undefined] };
}

/** The `helm` command, running entries with `loadApp`. */
export function helmCommand(loadApp: AppLoader): CliCommand {
  return {
    name: 'helm',
    summary: 'write a Helm chart of an app, with the values it declares',
    help: HELM_HELP,
    async run(args, io) {
      const parsed = parseHelmArguments(args);
      const target = resolveApp({ app: parsed.options.app }, io);
      const registry = new KnobRegistry();
      const stages: ChartStage[] = [];
      for (const stage of parsed.stages) {
        stages.push(await chartStage(stage ?? 'default', registry, () => loadApp({ ...target, stage }, io)));
      }
      const name = chartValuesOf(stages[0].app)?.options.name ?? path.basename(path.dirname(target.entry));
      const folder = parsed.options.output !== undefined ? path.resolve(io.cwd, parsed.options.output) : path.join(target.output, 'helm', name);
      const shown = shownPath(folder, io.cwd);
      let chart;
      try {
        chart = helmChartOf(stages, registry, { folder, source: path.relative(target.projectDir, target.entry) });
      } catch (error) {
        if (!(error instanceof SynthesisError)) throw error;
        io.err(formatReport(error.report));
        io.err(`helm: nothing written to ${shown}`);
        return 1;
      }
      const workDir = workDirOf(target.projectDir);
      recoverOutput(workDir);
      const commit = commitOutput(
        { folder: chart.templatesFolder, files: chart.templates, documents: chart.documents },
        { workDir, onWait: (pid) => io.err(`helm: waiting for another synth (pid ${pid}) to finish writing`) },
      );
      for (const template of chart.templates) io.out(shownPath(path.join(chart.templatesFolder, template.file), io.cwd));
      for (const document of chart.documents) io.out(shownPath(document.file, io.cwd));
      io.out(`chart ${shown}: ${chart.templates.length} templates${commit.changed ? '' : ', unchanged'}`);
      return 0;
    },
  };
}

export const HELM_COMMAND: CliCommand = helmCommand(captureTargetApp);
