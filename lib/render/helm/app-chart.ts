/**
 * The Helm chart of any app, from the values it declares with `chartValues`: the templates from
 * the builds with placeholders, the values files and the schema from the builds as written.
 */
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { App } from 'cdk8s';
import { UserError } from '../../errors';
import { KubeObject } from '../../manifest/types';
import { appManifests, ChartManifest } from '../manifests';
import { renderObjects, RenderOptions, SynthesisError } from '../synthesize';
import { ChartOutput, helmChart, profileOf } from './chart';
import { JsonSchema, Knob, KnobRegistry, STRING_PLACEHOLDER } from './knobs';
import { nameOf, switchedManifests } from './switches';
import { chartValuesOf, ChartValuesDeclaration, kindOf, SwitchValues, switchVariants, valueLeaves, ValuesTree, withPlaceholders } from './values';

/** The app of a stage built under `withPlaceholders` with some of its choices and ranges set to another value. */
export interface SwitchVariantBuild {
  /** The values set: one of `switchVariants(chartValuesOf(app))`. */
  readonly switches: SwitchValues;
  /** The app built with them. */
  readonly app: App;
}

/** One stage of an app, built as {@link chartStage} builds it. */
export interface ChartStage {
  /** The stage's name: with more than one stage, the value of `.Values.profile` that selects it. */
  readonly name: string;
  /** The app as its entry builds it for the stage. */
  readonly app: App;
  /** The same app built under `withPlaceholders`. */
  readonly placeholders: App;
  /** The same app built under `withPlaceholders` once per switch variant of its values, which find the fields its choices and ranges change. */
  readonly variants: readonly SwitchVariantBuild[];
}

/**
 * The builds of one stage a chart needs, `build` (the stage's entry) run one after another: as it
 * is, under placeholders, and under placeholders with each of `switchVariants` of the values it
 * declares. When `build` returns a promise (`habr-k8s helm` runs an entry file), so does this.
 */
export function chartStage(name: string, registry: KnobRegistry, build: () => App): ChartStage;
export function chartStage(name: string, registry: KnobRegistry, build: () => Promise<App>): Promise<ChartStage>;
export function chartStage(name: string, registry: KnobRegistry, build: () => App | Promise<App>): ChartStage | Promise<ChartStage> {
  return then(build(), (app) => then(withPlaceholders(registry, build), (placeholders) => {
    const variants: SwitchVariantBuild[] = [];
    const rest = (wanted: readonly SwitchValues[]): ChartStage | Promise<ChartStage> => {
      if (!wanted.length) return { name, app, placeholders, variants };
      return then(withPlaceholders(registry, build, wanted[0]), (variant) => {
        variants.push({ switches: wanted[0], app: variant });
        return rest(wanted.slice(1));
      });
    };
    return rest(switchVariants(chartValuesOf(app)));
  }));
}

/** `next` of `value`: at once, or when `value` is a promise, once it resolves. */
function then<T, U>(value: T | Promise<T>, next: (value: T) => U | Promise<U>): U | Promise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
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
    const choices = declaration.options.choices?.[at];
    if (choices) return [key, { enum: choices }];
    const range = declaration.options.ranges?.[at];
    if (range) return [key, { type: 'integer', ...range }];
    return [key, { type: kindOf(at, present[0], declaration.options) === 'int' ? 'integer' : 'string' }];
  }));
  return { type: 'object', additionalProperties: false, required: keys.filter((key) => sets.every((values) => key in values)), properties };
}

/**
 * `values` with a null for each key of `defaults` it does not have: Helm removes a key that a values
 * file sets to null, so `-f values-<stage>.yaml` leaves none of the defaults' keys the stage lacks.
 */
function overridingDefaults(values: ValuesTree, defaults: ValuesTree): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const fallback = defaults[key];
    result[key] = isObject(value) && isObject(fallback) ? overridingDefaults(value, fallback) : value;
  }
  for (const key of Object.keys(defaults)) if (!(key in values)) result[key] = null;
  return result;
}

const LEFT_OUT = Symbol('left out');

/** `node` of a placeholder object with the stage's values put in, as its template renders them: an empty optional string leaves its field out. */
function filledIn(node: unknown, values: ReadonlyMap<string, { readonly knob: Knob; readonly value: unknown }>): unknown {
  if (typeof node === 'number') return values.get(String(node))?.value ?? node;
  if (typeof node === 'string') {
    const whole = values.get(node);
    if (whole && whole.knob.kind !== 'string') return whole.knob.kind === 'optional-string' && whole.value === '' ? LEFT_OUT : whole.value;
    return node.replace(STRING_PLACEHOLDER, (placeholder) => String(values.get(placeholder)?.value ?? placeholder));
  }
  if (Array.isArray(node)) return node.map((item) => filledIn(item, values)).filter((item) => item !== LEFT_OUT);
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, filledIn(item, values)]).filter(([, item]) => item !== LEFT_OUT));
  }
  return node;
}

/** The path of the first field where `a` and `b` differ. */
function firstDifference(a: unknown, b: unknown, at = ''): string {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    const key = keys.find((k) => !isDeepStrictEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
    if (key !== undefined) return firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], at ? `${at}.${key}` : key);
  }
  return at;
}

function chartObjects(manifests: readonly ChartManifest[], include: (object: KubeObject) => boolean): KubeObject[] {
  return manifests.flatMap((m) => m.objects.filter(include));
}

/**
 * Checks that the templates, given the stage's values, render the stage: a field the app derives
 * from a value (a cache size computed from a memory limit) holds what the placeholder made of it,
 * which no template can recompute.
 */
function checkRendersStage(stage: ChartStage, declaration: ChartValuesDeclaration, knobs: readonly Knob[]): void {
  const include = (object: KubeObject) => !declaration.options.leaveOut?.(object);
  const byPath = new Map(valueLeaves(declaration.values).map(({ path: at, value }) => [at, value]));
  const values = new Map(knobs.filter((knob) => byPath.has(knob.path)).map((knob) => [String(knob.placeholder), { knob, value: byPath.get(knob.path) }]));
  const real = chartObjects(appManifests(stage.app), include);
  const templated = chartObjects(appManifests(stage.placeholders), include).map((object) => filledIn(object, values) as KubeObject);
  let index = real.findIndex((object, i) => !isDeepStrictEqual(object, templated[i]));
  if (index < 0) {
    if (real.length === templated.length) return;
    index = Math.min(real.length, templated.length);
  }
  const object = real[index] ?? templated[index];
  const field = real[index] && templated[index] ? ` ${firstDifference(real[index], templated[index])}` : '';
  throw new UserError(`stage ${stage.name}: the chart would not render it: ${nameOf(object)}${field} differs from what the templates make of its values; `
    + 'a field derived from a value cannot be templated: keep that value fixed, out of chartValues');
}

/**
 * The chart of an app from its stages (the first one's values are the defaults, each other's are
 * in `values-<stage>.yaml`, and with more than one stage `profile` selects the stage's structure).
 * Each stage is validated as synth validates it; throws {@link SynthesisError} on errors.
 */
export function helmChartOf(stages: readonly ChartStage[], registry: KnobRegistry, options: AppChartOptions): ChartOutput {
  if (!stages.length) throw new Error('a chart needs a stage');
  for (const stage of stages) {
    const rendered = renderObjects(stage.app, options);
    if (rendered.report.errors > 0) throw new SynthesisError(rendered.report);
  }
  const declarations = stages.map((stage) => chartValuesOf(stage.app) ?? NO_VALUES);
  stages.forEach((stage, i) => checkRendersStage(stage, declarations[i], registry.knobs));
  const templated = stages.map((stage, i) => {
    const variants = stage.variants.map(({ switches, app }) => ({ switches, manifests: appManifests(app) }));
    try {
      return switchedManifests(appManifests(stage.placeholders), variants, declarations[i], registry);
    } catch (error) {
      throw new UserError(`stage ${stage.name}: the chart cannot switch it: ${(error as Error).message}`);
    }
  });
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
    knobs: registry.knobs,
    profiles: stages.map((stage, i) => profileOf(profiled ? stage.name : 'default', templated[i],
      (object) => !declarations[i].options.leaveOut?.(object))),
    values: valuesOf(0),
    valuesComment: commentOf(0),
    valuesFiles: Object.fromEntries(stages.slice(1).map((stage, i) => [`values-${stage.name}.yaml`, { comment: commentOf(i + 1), values: overridingDefaults(valuesOf(i + 1), valuesOf(0)) }])),
    schema: first.schema ?? { $schema: 'http://json-schema.org/draft-07/schema#', title: `values of the ${name} chart`, ...generated },
  });
}
