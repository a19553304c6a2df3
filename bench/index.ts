/**
 * `npm run bench`: wall time, in-process work time and peak RSS of each scenario in scenarios.ts,
 * each run in fresh child processes, reported as medians with ratios against a baseline.
 *
 *   --large     also run N = 5000 units (slow: minutes for the cdk8s-plus scenario)
 *   --runs=5    measured runs per scenario and size (after one warm-up run)
 *   --only=txt  only scenarios whose name contains txt
 */
import { buildSync } from 'esbuild';
import { join, relative, resolve } from 'path';
import { measure, RunOptions } from './measure';
import { formatMb, formatMs, formatRatio, formatTable, ResultRow, workMs } from './report';
import { FLOOR_BASELINE, SCALED_BASELINE, Scenario, SCENARIOS } from './scenarios';
import type { ChildSpec } from './child';

const PROJECT_ROOT = resolve(__dirname, '..');
const BUILD_DIR = join(PROJECT_ROOT, '.bench', 'build');

interface Options {
  readonly sizes: readonly number[];
  readonly runs: number;
  readonly warmups: number;
  readonly only?: string;
}

function parseOptions(args: readonly string[]): Options {
  const value = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  return {
    sizes: args.includes('--large') ? [10, 100, 1000, 5000] : [10, 100, 1000],
    runs: Number(value('runs') ?? 5),
    warmups: 1,
    only: value('only'),
  };
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

function childArgv(scenario: Scenario & { kind: 'app' | 'objects' }, units: number): string[] {
  const spec: ChildSpec = { scenario, compiledModule: compiledPath(scenario.module), units };
  return [process.execPath, compiledPath('bench/child.ts'), JSON.stringify(spec)];
}

function runScenarios(scenarios: readonly Scenario[], options: Options, runOptions: RunOptions): ResultRow[] {
  const rows: ResultRow[] = [];
  const run = (scenario: Scenario, argv: readonly string[], units?: number) => {
    process.stderr.write(`  ${scenario.name}${units === undefined ? '' : ` N=${units}`} ...`);
    const summary = measure(argv, options.runs, options.warmups, runOptions);
    process.stderr.write(` ${formatMs(summary.wallMs)} ms\n`);
    rows.push({ scenario: scenario.name, units, summary });
  };
  for (const scenario of scenarios) {
    if (scenario.kind === 'command') run(scenario, scenario.argv);
    else if (scenario.kind === 'app' && scenario.fixedSize) run(scenario, childArgv(scenario, 1));
  }
  for (const units of options.sizes) {
    for (const scenario of scenarios) {
      if (scenario.kind === 'command' || (scenario.kind === 'app' && scenario.fixedSize)) continue;
      run(scenario, childArgv(scenario, units), units);
    }
  }
  return rows;
}

function baselineFor(row: ResultRow, rows: readonly ResultRow[]): ResultRow | undefined {
  const baselineName = row.units === undefined ? FLOOR_BASELINE : SCALED_BASELINE;
  return rows.find((candidate) => candidate.scenario === baselineName && candidate.units === row.units);
}

function resultsTable(rows: readonly ResultRow[]): string {
  const headers = ['scenario', 'N', 'docs', 'wall ms', 'build ms', 'emit ms', 'RSS MB', 'wall ×', 'emit ×', 'RSS ×'];
  return formatTable(
    headers,
    rows.map((row) => {
      const { summary } = row;
      const baseline = baselineFor(row, rows)?.summary;
      return [
        row.scenario,
        row.units === undefined ? '-' : String(row.units),
        summary.documents === undefined ? '' : String(summary.documents),
        formatMs(summary.wallMs),
        formatMs(summary.buildMs),
        formatMs(summary.emitMs),
        formatMb(summary.maxRssKb),
        formatRatio(summary.wallMs, baseline?.wallMs),
        formatRatio(summary.emitMs, baseline?.emitMs),
        formatRatio(summary.maxRssKb, baseline?.maxRssKb),
      ];
    }),
  );
}

/** Work (build + emit) growth between consecutive sizes: linear scaling means growth ≈ the size factor. */
function growthTable(rows: readonly ResultRow[], sizes: readonly number[]): string {
  const pairs = sizes.slice(1).map((to, index) => [sizes[index], to] as const).filter(([from]) => from >= 100);
  const scaledNames = [...new Set(rows.filter((row) => row.units !== undefined).map((row) => row.scenario))];
  const find = (scenario: string, units: number) => rows.find((row) => row.scenario === scenario && row.units === units);
  return formatTable(
    ['scenario', ...pairs.map(([from, to]) => `work ${from}→${to} (×${to / from})`)],
    scaledNames.map((scenario) => [
      scenario,
      ...pairs.map(([from, to]) => {
        const before = find(scenario, from);
        const after = find(scenario, to);
        return before && after ? formatRatio(workMs(after.summary), workMs(before.summary)) : '';
      }),
    ]),
  );
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const scenarios = SCENARIOS.filter((scenario) => !options.only || scenario.name.includes(options.only));
  const started = Date.now();
  compileBenchmark(scenarios);
  const runOptions: RunOptions = { cwd: PROJECT_ROOT, usagePreload: compiledPath('bench/usage-preload.ts') };
  process.stderr.write(`Running ${scenarios.length} scenarios, ${options.runs} runs each after ${options.warmups} warm-up:\n`);
  const rows = runScenarios(scenarios, options, runOptions);
  console.log(`\nMedians of ${options.runs} runs, node ${process.version}. Ratios: commands vs "${FLOOR_BASELINE}",`);
  console.log(`scaled scenarios vs "${SCALED_BASELINE}" at the same N. One unit = Deployment + Service + HPA.`);
  console.log('wall = spawn to exit; build = constructing objects; emit = synth/serialize; RSS = peak.\n');
  console.log(resultsTable(rows));
  console.log('\nGrowth of work time (build + emit) between sizes:\n');
  console.log(growthTable(rows, options.sizes));
  console.log(`\nTotal benchmark time: ${((Date.now() - started) / 1000).toFixed(0)} s (bundles in ${relative(PROJECT_ROOT, BUILD_DIR)}/)`);
}

main();
