/**
 * The benchmark's scenarios. Each runs in its own child process (see child.ts); modules are
 * bundled by esbuild beforehand so a child spends no time transpiling TypeScript.
 */

/** A shell-free command run as is, e.g. a floor or an end-to-end `npm run` script. Wall time only. */
export interface CommandScenario {
  readonly kind: 'command';
  readonly name: string;
  readonly argv: readonly string[];
  /** Only with `--large` (e.g. it needs a folder `index.ts` writes first). */
  readonly large?: boolean;
}

/**
 * `module` exports `exportName(app: App, units: number, chartSize: number): void`, which adds
 * `units` units to a cdk8s App, `chartSize` units per chart; the child then synthesizes the app.
 * Builders that ignore `units` (a fixed stack) set `fixedSize`, so the scenario runs once instead
 * of once per N and chart size.
 */
export interface AppScenario {
  readonly kind: 'app';
  readonly name: string;
  readonly module: string;
  readonly exportName: string;
  readonly fixedSize?: boolean;
  /** `cdk8s`: `app.synthYaml()`; `ours`: `renderApp` (whole-app validation + toYamlStream). @default 'cdk8s' */
  readonly pipeline?: 'cdk8s' | 'ours';
  /** Largest N run with one unit per chart (cdk8s is quadratic in the number of charts). @default - every N */
  readonly maxUnitsInChartsOfOne?: number;
  /** Largest N run at all. @default - every N */
  readonly maxUnits?: number;
}

export type Serializer = 'yaml.stringify' | 'toYamlStream' | 'JSON.stringify';

/** `module` exports `exportName(units: number): object[]`; the child serializes those objects. */
export interface ObjectsScenario {
  readonly kind: 'objects';
  readonly name: string;
  readonly module: string;
  readonly exportName: string;
  readonly serializer: Serializer;
}

export type Scenario = CommandScenario | AppScenario | ObjectsScenario;

/** Units per chart of the scaled app scenarios: one chart per service, a realistic app's 50, and a few big charts. */
export const CHART_SIZES: readonly number[] = [1, 50, 500];

export const FLOOR_BASELINE = 'floor: node -e require(cdk8s, cdk8s-plus-27)';
/** The `yaml` floor: our exact output objects, built by hand, serialized as cdk8s does. */
export const SCALED_BASELINE = 'our output objects → yaml.stringify';
/** The serialization limit: the same objects through `JSON.stringify`. */
export const JSON_BASELINE = 'our output objects → JSON.stringify';
/** The folder of `npm run validate` scenario, written by index.ts with `--large`. */
export const VALIDATE_FOLDER = '.bench/validate-10k';
export const VALIDATE_UNITS = 3334;
/** The command scenarios' baseline: the end-to-end target is `npm run synth` ≤ 1.2× this. */
export const COMMAND_BASELINE = 'floor: npm run bench:floor';
/** Our constructs through our synthesis, the pipeline the targets are about. */
export const OUR_PIPELINE = 'our WebApp + HpaPolicy → renderApp';
export const SYNTH_COMMAND = 'demo stack: npm run synth (end to end)';
export const VALIDATE_COMMAND = `npm run validate (${VALIDATE_UNITS * 3} objects)`;

export const SCENARIOS: readonly Scenario[] = [
  {
    kind: 'command',
    name: FLOOR_BASELINE,
    argv: [process.execPath, '-e', "require('cdk8s'); require('cdk8s-plus-27')"],
  },
  { kind: 'command', name: COMMAND_BASELINE, argv: ['npm', 'run', '--silent', 'bench:floor'] },
  {
    kind: 'app',
    name: 'cdk8s-plus-27 → App.synthYaml',
    module: 'bench/units-plus.ts',
    exportName: 'buildPlusUnits',
    // A minute per run at 1000 units in charts of 1 on the 2-core machine; the 10,000-unit size is ours alone.
    maxUnitsInChartsOfOne: 100,
    maxUnits: 1000,
  },
  {
    kind: 'objects',
    name: SCALED_BASELINE,
    module: 'bench/units-plain.ts',
    exportName: 'buildPlainUnits',
    serializer: 'yaml.stringify',
  },
  {
    kind: 'objects',
    name: JSON_BASELINE,
    module: 'bench/units-plain.ts',
    exportName: 'buildPlainUnits',
    serializer: 'JSON.stringify',
  },
  {
    kind: 'objects',
    name: 'our output objects → toYamlStream',
    module: 'bench/units-plain.ts',
    exportName: 'buildPlainUnits',
    serializer: 'toYamlStream',
  },
  {
    kind: 'app',
    name: OUR_PIPELINE,
    module: 'bench/units-webapp.ts',
    exportName: 'buildWebAppUnits',
    pipeline: 'ours',
  },
  {
    kind: 'app',
    name: 'demo stack (in-process, renderApp)',
    module: 'bench/demo-stack.ts',
    exportName: 'addDemoStack',
    fixedSize: true,
    pipeline: 'ours',
  },
  { kind: 'command', name: SYNTH_COMMAND, argv: ['npm', 'run', '--silent', 'synth'] },
  {
    kind: 'command',
    name: VALIDATE_COMMAND,
    argv: ['npm', 'run', '--silent', 'validate', '--', VALIDATE_FOLDER],
    large: true,
  },
];
