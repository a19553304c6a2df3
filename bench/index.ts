/**
 * `npm run bench`: wall time, in-process work time and peak RSS of each scenario in scenarios.ts,
 * each run in fresh child processes, reported as medians with same-run ratios against baselines.
 * App scenarios run in charts of 1, 50 and 500 units (scenarios.ts CHART_SIZES).
 *
 *   --large     also run N = 10,000 units (our scenarios and floors only) and
 *               `npm run validate` of a 10,002-object folder
 *   --runs=3    measured runs per scenario and size (after one warm-up run)
 *   --only=txt  only scenarios whose name contains txt (the baselines always run)
 *   --section=validate  only the validate section: `validate` vs kubeconform on a public-style
 *               corpus and on 10,002 objects (it also ends every run without --only)
 *   --section=deploy (or --deploy)  instead: `habr-k8s deploy` against kubectl on a local control
 *               plane (see deploy.ts)
 *   --section=compose-corpus [--corpus=DIR] [--reach]  only the compose importer's figures on a corpus of
 *               compose files in DIR (the repo ships none; see compose-corpus.ts): counts, not times;
 *               --reach also counts the published ports np-guard's netpol-analyzer finds reachable from
 *               outside, each on its workload's container port
 */
import { buildSync } from 'esbuild';
import { join, relative, resolve } from 'path';
import { measure, RunOptions } from './measure';
import { formatMb, formatMs, formatRatio, formatTable, ResultRow, workMs } from './report';
import { cpus, loadavg } from 'os';
import { evaluateTargets, verdict } from './targets';
import {
  CHART_SIZES, COMMAND_BASELINE, FLOOR_BASELINE, JSON_BASELINE, OUR_PIPELINE, SCALED_BASELINE, Scenario, SCENARIOS, SYNTH_COMMAND,
  VALIDATE_COMMAND, VALIDATE_FOLDER, VALIDATE_UNITS,
} from './scenarios';
import type { ChildSpec } from './child';
import { runDeployBench } from './deploy';

const PROJECT_ROOT = resolve(__dirname, '..');
const BUILD_DIR = join(PROJECT_ROOT, '.bench', 'build');

/** The layout of the targets: a real app's charts of 50 units. */
const TARGET_CHART_SIZE = 50;
const GROWTH_FROM = 1000;
/** Sizes from this one on are measured with at most 3 runs. */
const LARGE_SIZE = 10_000;

interface Options {
  readonly large: boolean;
  /** Only the validate section. */
  readonly validateOnly: boolean;
  readonly sizes: readonly number[];
  readonly runs: number;
  readonly warmups: number;
  readonly only?: string;
}

function parseOptions(args: readonly string[]): Options {
  const value = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const large = args.includes('--large');
  return {
    large,
    validateOnly: value('section') === 'validate',
    sizes: large ? [100, 1000, LARGE_SIZE] : [100, 1000],
    runs: Number(value('runs') ?? 3),
    warmups: 1,
    only: value('only'),
  };
}

/** The objects of our pipeline for the `npm run validate` scenario, in charts of 50, as synth writes them. */
function writeValidateFolder(): void {
  (require('./validate-folder') as typeof import('./validate-folder')).writeValidateFolder(join(PROJECT_ROOT, VALIDATE_FOLDER));
}

/** Where esbuild writes the bundle of a project-relative .ts path. */
function compiledPath(sourcePath: string): string {
  return join(BUILD_DIR, sourcePath.replace(/\.ts$/, '.js'));
}

/** Bundles the child, the preload and every scenario module, so children do not transpile. */
function compileBenchmark(scenarios: readonly Scenario[]): void {
  const modules = scenarios.flatMap((scenario) => (scenario.kind === 'command' ? [] : [scenario.module]));
  buildSync({
    entryPoints: ['bench/child.ts', 'bench/usage-preload.ts', ...new Set(modules)].map((path) => join(PROJECT_ROOT, path)),
    outbase: PROJECT_ROOT,
    outdir: BUILD_DIR,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    logLevel: 'error',
  });
}

function childArgv(scenario: Scenario & { kind: 'app' | 'objects' }, units: number, chartSize: number): string[] {
  const spec: ChildSpec = { scenario, compiledModule: compiledPath(scenario.module), units, chartSize };
  return [process.execPath, compiledPath('bench/child.ts'), JSON.stringify(spec)];
}

/** The chart sizes an app scenario runs with at `units` (none larger than the app). */
function chartSizesFor(scenario: Scenario, units: number): readonly (number | undefined)[] {
  if (scenario.kind !== 'app') return [undefined];
  if (units > (scenario.maxUnits ?? Infinity)) return [];
  return CHART_SIZES.filter((size) => size <= units && (size > 1 || units <= (scenario.maxUnitsInChartsOfOne ?? Infinity)));
}

function runScenarios(scenarios: readonly Scenario[], options: Options, runOptions: RunOptions): ResultRow[] {
  const rows: ResultRow[] = [];
  const run = (scenario: Scenario, argv: readonly string[], runs: number, units?: number, chartSize?: number) => {
    process.stderr.write(`  ${scenario.name}${units === undefined ? '' : ` N=${units}`}${chartSize === undefined ? '' : ` charts of ${chartSize}`} ...`);
    const summary = measure(argv, runs, options.warmups, runOptions);
    process.stderr.write(` ${formatMs(summary.wallMs)} ms\n`);
    rows.push({ scenario: scenario.name, units, chartSize, summary });
  };
  for (const scenario of scenarios) {
    if (scenario.kind === 'command' && (!scenario.large || options.large)) run(scenario, scenario.argv, options.runs);
    else if (scenario.kind === 'app' && scenario.fixedSize) run(scenario, childArgv(scenario, 1, 1), options.runs);
  }
  for (const units of options.sizes) {
    const runs = units >= LARGE_SIZE ? Math.min(options.runs, 3) : options.runs;
    for (const scenario of scenarios) {
      if (scenario.kind === 'command' || (scenario.kind === 'app' && scenario.fixedSize)) continue;
      for (const chartSize of chartSizesFor(scenario, units)) run(scenario, childArgv(scenario, units, chartSize ?? 1), runs, units, chartSize);
    }
  }
  return rows;
}

function findRow(rows: readonly ResultRow[], scenario: string, units: number | undefined): ResultRow | undefined {
  return rows.find((candidate) => candidate.scenario === scenario && candidate.units === units);
}

function resultsTable(rows: readonly ResultRow[]): string {
  const headers = ['scenario', 'N', 'chart', 'docs', 'wall ms', 'build ms', 'emit ms', 'RSS MB', 'wall × yaml', 'work × yaml', 'wall × JSON', 'work × JSON'];
  return formatTable(
    headers,
    rows.map((row) => {
      const { summary } = row;
      const floor = findRow(rows, row.units === undefined ? COMMAND_BASELINE : SCALED_BASELINE, row.units)?.summary;
      const json = row.units === undefined ? undefined : findRow(rows, JSON_BASELINE, row.units)?.summary;
      return [
        row.scenario,
        row.units === undefined ? '-' : String(row.units),
        row.chartSize === undefined ? '' : String(row.chartSize),
        summary.documents === undefined ? '' : String(summary.documents),
        formatMs(summary.wallMs),
        formatMs(summary.buildMs),
        formatMs(summary.emitMs),
        formatMb(summary.maxRssKb),
        formatRatio(summary.wallMs, floor?.wallMs),
        formatRatio(workMs(summary), floor && workMs(floor)),
        formatRatio(summary.wallMs, json?.wallMs),
        formatRatio(workMs(summary), json && workMs(json)),
      ];
    }),
  );
}

/** Our pipeline's phases inside emit: the charts' objects (cdk8s toJson), validation, YAML. */
function phasesTable(rows: readonly ResultRow[]): string {
  const withPhases = rows.filter((row) => row.summary.phases);
  return formatTable(
    ['scenario', 'N', 'chart', 'build ms', 'objects ms', 'validation ms', 'yaml ms'],
    withPhases.map((row) => [
      row.scenario,
      row.units === undefined ? '-' : String(row.units),
      row.chartSize === undefined ? '' : String(row.chartSize),
      formatMs(row.summary.buildMs),
      formatMs(row.summary.phases?.objects),
      formatMs(row.summary.phases?.validation),
      formatMs(row.summary.phases?.yaml),
    ]),
  );
}

/** Work (build + emit) growth between consecutive sizes: linear scaling means growth ≈ the size factor. */
function growthTable(rows: readonly ResultRow[], sizes: readonly number[]): string {
  const pairs = sizes.slice(1).map((to, index) => [sizes[index], to] as const);
  const keyOf = (row: ResultRow) => `${row.scenario}${row.chartSize === undefined ? '' : ` (charts of ${row.chartSize})`}`;
  const scaled = new Map(rows.filter((row) => row.units !== undefined).map((row) => [keyOf(row), row] as const));
  const find = (key: string, units: number) => rows.find((row) => row.units === units && keyOf(row) === key);
  return formatTable(
    ['scenario', ...pairs.map(([from, to]) => `work ${from}→${to} (×${to / from})`)],
    [...scaled.keys()].map((key) => [
      key,
      ...pairs.map(([from, to]) => {
        const before = find(key, from);
        const after = find(key, to);
        return before && after ? formatRatio(workMs(after.summary), workMs(before.summary)) : '';
      }),
    ]),
  );
}

/** Issue 17's targets from this run: each with its measured value, its limit and whether it is met. */
function targetsTable(rows: readonly ResultRow[]): string {
  const lines = evaluateTargets(rows, {
    ours: OUR_PIPELINE,
    yamlFloor: SCALED_BASELINE,
    jsonLine: JSON_BASELINE,
    synthCommand: SYNTH_COMMAND,
    floorCommand: COMMAND_BASELINE,
    validateCommand: VALIDATE_COMMAND,
  }, { units: LARGE_SIZE, chartSize: TARGET_CHART_SIZE, growthFrom: GROWTH_FROM });
  return formatTable(['target', 'measured', 'limit', 'verdict', 'from'], lines.map((line) => [line.target, line.measured, line.limit, verdict(line), line.detail]));
}

function loadText(): string {
  return loadavg().map((load) => load.toFixed(1)).join(' ');
}

/** Examples in the public-style corpus (4 to 7 objects each). */
const CORPUS_EXAMPLES = 200;
const CORPUS_FOLDER = '.bench/public-corpus';

function validateSection(options: Options): string {
  const { writePublicCorpus } = require('./public-corpus') as typeof import('./public-corpus');
  const { runValidateSection } = require('./validate-section') as typeof import('./validate-section');
  const corpusObjects = writePublicCorpus(join(PROJECT_ROOT, CORPUS_FOLDER), CORPUS_EXAMPLES);
  // A full --large run wrote it already, before its scenarios.
  if (!options.large) writeValidateFolder();
  return runValidateSection([
    { name: `public-style corpus (${CORPUS_EXAMPLES} examples)`, folder: CORPUS_FOLDER, objects: corpusObjects },
    { name: 'our synth output', folder: VALIDATE_FOLDER, objects: VALIDATE_UNITS * 3 },
  ], options.runs, options.warmups, PROJECT_ROOT);
}

function main(): void {
  if (process.argv.includes('--deploy') || process.argv.includes('--section=deploy')) {
    void runDeployBench(process.argv.slice(2)).catch((error: Error) => {
      console.error(error.message);
      process.exitCode = 1;
    });
    return;
  }
  const section = process.argv.find((arg) => arg.startsWith('--section='))?.slice('--section='.length);
  if (section === 'compose-corpus') {
    const given = process.argv.find((arg) => arg.startsWith('--corpus='))?.slice('--corpus='.length);
    if (!given) {
      // Public compose files are other people's work: the repo ships none, so the corpus is a folder of your own.
      console.error('bench: --section=compose-corpus needs --corpus=DIR, a folder of compose files (one per app folder)');
      process.exitCode = 2;
      return;
    }
    const corpus = resolve(process.env.INIT_CWD ?? process.cwd(), given);
    const { formatCorpusFigures, measureComposeCorpus, publishedPortsReachable } = require('./compose-corpus') as typeof import('./compose-corpus');
    const { ensureNetpolAnalyzer } = require('../tools/netpol-analyzer/analyzer') as typeof import('../tools/netpol-analyzer/analyzer');
    const check = process.argv.includes('--reach') ? publishedPortsReachable(ensureNetpolAnalyzer()) : undefined;
    console.log(formatCorpusFigures(measureComposeCorpus(corpus, check), 'published ports reachable from outside the cluster, port by port (netpol-analyzer)'));
    return;
  }
  const options = parseOptions(process.argv.slice(2));
  if (options.validateOnly) {
    const loadAtStart = loadText();
    const section = validateSection(options);
    console.log(`node ${process.version} on ${cpus().length} cores; load average (1/5/15 min) ${loadAtStart} at start, ${loadText()} at the end.\n`);
    console.log(section);
    return;
  }
  const baselines = [COMMAND_BASELINE, SCALED_BASELINE, JSON_BASELINE];
  const scenarios = SCENARIOS.filter((scenario) => !options.only || baselines.includes(scenario.name) || scenario.name.includes(options.only));
  const started = Date.now();
  const loadAtStart = loadText();
  compileBenchmark(scenarios);
  if (options.large) writeValidateFolder();
  const runOptions: RunOptions = { cwd: PROJECT_ROOT, usagePreload: compiledPath('bench/usage-preload.ts') };
  process.stderr.write(`Running ${scenarios.length} scenarios, ${options.runs} runs each after ${options.warmups} warm-up:\n`);
  const rows = runScenarios(scenarios, options, runOptions);
  const cores = cpus();
  console.log(`\nLayout: units per chart ${CHART_SIZES.join(', ')}; units total ${options.sizes.join(', ')} (targets at ${LARGE_SIZE} in charts of ${TARGET_CHART_SIZE});`);
  console.log(`node ${process.version} on ${cores.length} cores (${cores[0]?.model.trim() ?? 'unknown CPU'}); load average (1/5/15 min) ${loadAtStart} at start, ${loadText()} at the end.`);
  console.log(`\nMedians of ${options.runs} runs (at most 3 at N = ${LARGE_SIZE}), node ${process.version}. One unit = Deployment + Service + HPA;`);
  console.log(`chart = units per chart. Ratios are same-run: commands vs "${COMMAND_BASELINE}" ("${FLOOR_BASELINE}" is`);
  console.log(`npm's share), scaled scenarios vs "${SCALED_BASELINE}" (yaml) and "${JSON_BASELINE}" (JSON) at the same N.`);
  console.log('wall = spawn to exit; build = constructing objects; emit = synth/serialize; work = build + emit; RSS = peak.\n');
  console.log(resultsTable(rows));
  console.log('\nPhases of our pipeline (emit = objects + validation + yaml):\n');
  console.log(phasesTable(rows));
  console.log('\nGrowth of work time (build + emit) between sizes:\n');
  console.log(growthTable(rows, options.sizes));
  console.log(`\nTargets of issue 17 (same-run ratios; a loaded machine inflates times and RSS, read the ratios):\n`);
  console.log(targetsTable(rows));
  if (!options.only || 'validate vs kubeconform'.includes(options.only)) {
    console.log(`\nValidate vs kubeconform:\n`);
    console.log(validateSection(options));
  }
  console.log(`\nTotal benchmark time: ${((Date.now() - started) / 1000).toFixed(0)} s (bundles in ${relative(PROJECT_ROOT, BUILD_DIR)}/)`);
}

main();
