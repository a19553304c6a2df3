/**
 * The Helm chart of any app, from the values it declares with `chartValues`: the templates from
 * the builds with placeholders, the values files and the schema from the builds as written.
 */
import * as path from 'path';
import { App } from 'cdk8s';
import { appManifests } from '../manifests';
import { renderObjects, RenderOptions, SynthesisError } from '../synthesize';
import { ChartOutput, helmChart, profileOf } from './chart';
import { JsonSchema, Knob } from './knobs';
import { chartValuesOf, ChartValuesDeclaration, kindOf, ValuesTree } from './values';

/** One stage of an app, built twice. */
export interface ChartStage {
  /** The stage's name: with more than one stage, the value of `.Values.profile` that selects it. */
  readonly name: string;
  /** The app as its entry builds it for the stage. */
  readonly app: App;
  /** The same app built under `withPlaceholders`. */
  readonly placeholders: App;
}

export interface AppChartOptions extends RenderOptions {
  /** The chart's folder. */
  readonly folder: string;
  /** Where the app comes from, for the values files' comment, e.g. `apps/shop/main.ts`. */
  readonly source: string;
}

const NO_VALUES: ChartValuesDeclaration = { values: {}, options: {}, declaredAt: '' };

function isObject(value: unknown): value is ValuesTree {
  return value !== null && typeof value === 'object';
}

/** A schema for the values of every stage: each key any stage has, required when every stage has it. */
function schemaOf(sets: readonly ValuesTree[], declaration: ChartValuesDeclaration, prefix = ''): JsonSchema {
  const keys = [...new Set(sets.flatMap((values) => Object.keys(values)))];
  const properties = Object.fromEntries(keys.map((key) => {
    const at = prefix ? `${prefix}.${key}` : key;
    const present = sets.map((values) => values[key]).filter((value) => value !== undefined);
    if (isObject(present[0])) return [key, schemaOf(present as ValuesTree[], declaration, at)];
    return [key, { type: kindOf(at, present[0], declaration.options) === 'int' ? 'integer' : 'string' }];
  }));
  return { type: 'object', additionalProperties: false, required: keys.filter((key) => sets.every((values) => key in values)), properties };
}

/**
 * The chart of an app from its stages (the first one's values are the defaults, each other's are
 * in `values-<stage>.yaml`, and with more than one stage `profile` selects the stage's structure).
 * Each stage is validated as synth validates it; throws {@link SynthesisError} on errors.
 */
export function helmChartOf(stages: readonly ChartStage[], knobs: readonly Knob[], options: AppChartOptions): ChartOutput {
  if (!stages.length) throw new Error('a chart needs a stage');
  for (const stage of stages) {
    const rendered = renderObjects(stage.app, options);
    if (rendered.report.errors > 0) throw new SynthesisError(rendered.report);
  }
  const declarations = stages.map((stage) => chartValuesOf(stage.app) ?? NO_VALUES);
  const first = declarations[0].options;
  const name = first.name ?? path.basename(path.resolve(options.folder));
  const writtenBy = first.writtenBy ?? 'habr-k8s helm';
  const profiled = stages.length > 1;
  const valuesOf = (i: number): ValuesTree => (profiled ? { profile: stages[i].name, ...declarations[i].values } : declarations[i].values);
  const commentOf = (i: number): string => declarations[i].options.valuesComment ?? (i === 0
    ? `Written by \`${writtenBy}\` from ${options.source}${profiled ? ` (stage ${stages[0].name})` : ''}; do not edit: pass -f or --set instead.`
      + (declarations[0] === NO_VALUES ? '\nThe app declares no values: its templates are fixed.' : '')
    : `Written by \`${writtenBy}\` from ${options.source}: \`helm template -f values-${stages[i].name}.yaml\` renders its stage ${stages[i].name}.`);
  const generated = schemaOf(stages.map((_stage, i) => valuesOf(i)), declarations[0]);
  if (profiled) generated.properties.profile = { enum: stages.map((stage) => stage.name) };
  const version = first.version ?? '0.1.0';
  return helmChart({
    folder: options.folder,
    writtenBy,
    metadata: {
      name,
      description: first.description ?? `${name}, typed and validated by habr-k8s`,
      version,
      appVersion: first.appVersion ?? version,
    },
    knobs,
    profiles: stages.map((stage, i) => profileOf(profiled ? stage.name : 'default', appManifests(stage.placeholders),
      (object) => !declarations[i].options.leaveOut?.(object))),
    values: valuesOf(0),
    valuesComment: commentOf(0),
    valuesFiles: Object.fromEntries(stages.slice(1).map((stage, i) => [`values-${stage.name}.yaml`, { comment: commentOf(i + 1), values: valuesOf(i + 1) }])),
    schema: first.schema ?? { $schema: 'http://json-schema.org/draft-07/schema#', title: `values of the ${name} chart`, ...generated },
  });
}
