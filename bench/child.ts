/**
 * Runs one scaled scenario in a fresh process and prints its timings as one JSON line.
 * Started by measure.ts; never imported.
 */
import type { App } from 'cdk8s';
import type { RenderPhases } from '../lib/render/synthesize';
import type { AppScenario, ObjectsScenario, Serializer } from './scenarios';

export interface ChildSpec {
  readonly scenario: AppScenario | ObjectsScenario;
  /** The esbuild output for `scenario.module`. */
  readonly compiledModule: string;
  readonly units: number;
  /** Units per chart, for app scenarios. */
  readonly chartSize: number;
}

export interface ChildResult {
  readonly buildMs: number;
  readonly emitMs: number;
  readonly documents: number;
  readonly bytes: number;
  /** `renderApp`'s phases, for our pipeline. */
  readonly phases?: RenderPhases;
}

function timed<T>(work: () => T): [T, number] {
  const start = performance.now();
  const result = work();
  return [result, performance.now() - start];
}

function loadExport<T>(spec: ChildSpec): T {
  const exported = require(spec.compiledModule)[spec.scenario.exportName];
  if (typeof exported !== 'function') {
    throw new Error(`${spec.scenario.module} does not export a function ${spec.scenario.exportName}`);
  }
  return exported as T;
}

function countDocuments(yaml: string): number {
  return yaml === '' ? 0 : yaml.split(/^---$/m).length;
}

/** Documents and bytes of the output, counted file by file: joining them would add a copy of the whole output to the peak. */
function outputSize(files: readonly string[]): Pick<ChildResult, 'documents' | 'bytes'> {
  let documents = 0;
  let bytes = 0;
  for (const file of files) {
    documents += countDocuments(file);
    bytes += Buffer.byteLength(file);
  }
  return { documents, bytes };
}

function runApp(spec: ChildSpec): ChildResult {
  const { App: AppClass } = require('cdk8s') as typeof import('cdk8s');
  const build = loadExport<(app: App, units: number, chartSize: number) => void>(spec);
  const app = new AppClass();
  const [, buildMs] = timed(() => build(app, spec.units, spec.chartSize));
  const ours = spec.scenario.kind === 'app' && spec.scenario.pipeline === 'ours';
  const phases: RenderPhases = {};
  const [files, emitMs] = timed(() => (ours ? renderWithOurPipeline(app, phases) : [app.synthYaml()]));
  return { buildMs, emitMs, ...outputSize(files), ...(ours ? { phases } : {}) };
}

/** Our synthesis: apply-ordered charts, whole-app validation (schema + rules), toYamlStream per chart; the files' contents. */
function renderWithOurPipeline(app: App, phases: RenderPhases): string[] {
  const { renderApp } = require('../lib/render/synthesize') as typeof import('../lib/render/synthesize');
  const rendered = renderApp(app, {}, phases);
  if (rendered.report.errors) throw new Error(`the scenario's app has validation errors:\n${rendered.report.findings.map((f) => f.message).join('\n')}`);
  return rendered.files.map((f) => f.content);
}

/** Required lazily, so a scenario only loads the serializer it measures. */
function loadSerializer(serializer: Serializer): (objects: readonly object[]) => string {
  if (serializer === 'JSON.stringify') return (objects) => objects.map((object) => JSON.stringify(object)).join('\n');
  if (serializer === 'toYamlStream') {
    return (require('../lib/manifest/yaml') as typeof import('../lib/manifest/yaml')).toYamlStream;
  }
  const YAML = require('yaml') as typeof import('yaml');
  // Exactly what cdk8s' Yaml.stringify does per document.
  const options = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;
  return (objects) => objects.map((object) => YAML.stringify(object, options)).join('---\n');
}

function runObjects(spec: ChildSpec & { scenario: ObjectsScenario }): ChildResult {
  const build = loadExport<(units: number) => object[]>(spec);
  const serialize = loadSerializer(spec.scenario.serializer);
  const [objects, buildMs] = timed(() => build(spec.units));
  const [yaml, emitMs] = timed(() => serialize(objects));
  return { buildMs, emitMs, documents: objects.length, bytes: Buffer.byteLength(yaml) };
}

const spec = JSON.parse(process.argv[2]) as ChildSpec;
const result = spec.scenario.kind === 'app' ? runApp(spec) : runObjects(spec as ChildSpec & { scenario: ObjectsScenario });
process.stdout.write(JSON.stringify(result) + '\n');
