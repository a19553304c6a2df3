/**
 * The benchmark's scenarios. Each runs in its own child process (see child.ts); modules are
 * bundled by esbuild beforehand so a child spends no time transpiling TypeScript.
 */

/** A shell-free command run as is, e.g. a floor or an end-to-end `npm run` script. Wall time only. */
export interface CommandScenario {
  readonly kind: 'command';
  readonly name: string;
  readonly argv: readonly string[];
}

/**
 * `module` exports `exportName(app: App, units: number): void`, which adds `units` units to a cdk8s
 * App; the child then calls `app.synthYaml()`. Builders that ignore `units` (a fixed stack) set
 * `fixedSize`, so the scenario runs once instead of once per N.
 */
export interface AppScenario {
  readonly kind: 'app';
  readonly name: string;
  readonly module: string;
  readonly exportName: string;
  readonly fixedSize?: boolean;
  /** `cdk8s`: `app.synthYaml()`; `ours`: `renderApp` (whole-app validation + toYamlStream). @default 'cdk8s' */
  readonly pipeline?: 'cdk8s' | 'ours';
}

export type Serializer = 'yaml.stringify' | 'toYamlStream';

/** `module` exports `exportName(units: number): object[]`; the child serializes those objects. */
export interface ObjectsScenario {
  readonly kind: 'objects';
  readonly name: string;
  readonly module: string;
  readonly exportName: string;
  readonly serializer: Serializer;
}

export type Scenario = CommandScenario | AppScenario | ObjectsScenario;

export const FLOOR_BASELINE = 'floor: node -e require(cdk8s, cdk8s-plus-27)';
export const SCALED_BASELINE = 'plain objects → yaml.stringify';

export const SCENARIOS: readonly Scenario[] = [
  {
    kind: 'command',
    name: FLOOR_BASELINE,
    argv: [process.execPath, '-e', "require('cdk8s'); require('cdk8s-plus-27')"],
  },
  { kind: 'command', name: 'floor: npm run bench:floor', argv: ['npm', 'run', '--silent', 'bench:floor'] },
  {
    kind: 'app',
    name: 'cdk8s-plus-27 → App.synthYaml',
    module: 'bench/units-plus.ts',
    exportName: 'buildPlusUnits',
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
    name: 'plain objects → toYamlStream',
    module: 'bench/units-plain.ts',
    exportName: 'buildPlainUnits',
    serializer: 'toYamlStream',
  },
  {
    kind: 'app',
    name: 'our WebApp + HpaPolicy → renderApp',
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
  { kind: 'command', name: 'demo stack: npm run synth (end to end)', argv: ['npm', 'run', '--silent', 'synth'] },
];
