/** `habr-k8s helm`: a Helm chart of any app, with the values it declares with `chartValues`. */
import * as path from 'path';
import { App } from 'cdk8s';
import { UsageError } from '../errors';
import { commitOutput, recoverOutput } from '../output/write';
import { helmChartOf, ChartStage } from '../render/helm/app-chart';
import { KnobRegistry } from '../render/helm/knobs';
import { chartValuesOf, withPlaceholders } from '../render/helm/values';
import { SynthesisError } from '../render/synthesize';
import { formatReport } from '../validation';
import { CliCommand, CommandIo } from './io';

/**
 * The App an entry builds for a stage (undefined: the entry's own default), the one it passes to
 * `app.synth()`; `habr-k8s synth` runs entries the same way. Each call runs the entry afresh.
 */
export type AppLoader = (entry: string, stage: string | undefined, io: CommandIo) => Promise<App>;

export const HELM_HELP = [
  'usage: habr-k8s helm [--app ENTRY] [--stage NAME ...] [--output DIR]',
  'Writes a Helm chart of the app ENTRY builds: a template per manifest file, Chart.yaml, values.yaml and values.schema.json.',
  'The values are those the app declares with chartValues (an app that declares none gets fixed templates and an empty values.yaml);',
  'each stage is validated as synth validates it, and nothing is written when one has errors.',
  '  --app ENTRY    the entry that builds the app and ends with app.synth() (default: main.ts)',
  '  --stage NAME   the stage to build (the entry reads STAGE); repeat it for a chart of several stages: the first one\'s values',
  '                 are the defaults, each other\'s are in values-<stage>.yaml, and the value profile selects the stage',
  '  --output DIR   the chart\'s folder (default: dist/helm/<chart name>); the lock and journal are in .habr-k8s of the current folder',
].join('\n');

interface HelmArguments {
  readonly entry: string;
  readonly stages: readonly (string | undefined)[];
  readonly output?: string;
}

function parseHelmArguments(args: readonly string[]): HelmArguments | 'help' {
  let entry = 'main.ts';
  let output: string | undefined;
  const stages: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const [option, inline] = args[i].startsWith('--') && args[i].includes('=') ? [args[i].slice(0, args[i].indexOf('=')), args[i].slice(args[i].indexOf('=') + 1)] : [args[i], undefined];
    if (option === '--help' || option === '-h') return 'help';
    if (option !== '--app' && option !== '--stage' && option !== '--output') throw new UsageError(`unexpected argument ${JSON.stringify(args[i])}; see habr-k8s helm --help`);
    const value = inline ?? args[++i];
    if (!value || value.startsWith('--')) throw new UsageError(`${option} needs a value`);
    if (option === '--app') entry = value;
    else if (option === '--output') output = value;
    else if (stages.includes(value)) throw new UsageError(`--stage ${value} is given twice`);
    else stages.push(value);
  }
  return { entry, stages: stages.length ? stages : [undefined], output };
}

/** A path as the user would type it from `cwd`. */
function shown(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** The `helm` command, running entries with `loadApp`. */
export function helmCommand(loadApp: AppLoader): CliCommand {
  return {
    name: 'helm',
    summary: 'write a Helm chart of an app, with the values it declares',
    help: HELM_HELP,
    async run(args, io) {
      const parsed = parseHelmArguments(args);
      if (parsed === 'help') {
        io.out(HELM_HELP);
        return 0;
      }
      const entry = path.resolve(io.cwd, parsed.entry);
      const registry = new KnobRegistry();
      const stages: ChartStage[] = [];
      for (const stage of parsed.stages) {
        const app = await loadApp(entry, stage, io);
        const placeholders = await withPlaceholders(registry, () => loadApp(entry, stage, io));
        stages.push({ name: stage ?? 'default', app, placeholders });
      }
      const name = chartValuesOf(stages[0].app)?.options.name ?? path.basename(path.dirname(entry));
      const folder = path.resolve(io.cwd, parsed.output ?? path.join('dist', 'helm', name));
      let chart;
      try {
        chart = helmChartOf(stages, registry.knobs, { folder, source: shown(entry, io.cwd) });
      } catch (error) {
        if (!(error instanceof SynthesisError)) throw error;
        io.err(formatReport(error.report));
        io.err(`helm: nothing written to ${shown(folder, io.cwd)}`);
        return 1;
      }
      const workDir = path.join(io.cwd, '.habr-k8s');
      recoverOutput(workDir);
      const commit = commitOutput(
        { folder: chart.templatesFolder, files: chart.templates, documents: chart.documents },
        { workDir, onWait: (pid) => io.err(`helm: waiting for another synth (pid ${pid}) to finish writing`) },
      );
      for (const template of chart.templates) io.out(shown(path.join(chart.templatesFolder, template.file), io.cwd));
      for (const document of chart.documents) io.out(shown(document.file, io.cwd));
      io.out(`chart ${shown(folder, io.cwd)}: ${chart.templates.length} templates${commit.changed ? '' : ', unchanged'}`);
      return 0;
    },
  };
}
