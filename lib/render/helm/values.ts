/**
 * How an app declares the values of its Helm chart: {@link chartValues} records them on the App
 * (like `declareExternalObject`, so the declaration travels with the construct tree, even across
 * separately bundled copies of this module) and hands the app the values to build itself from.
 * `habr-k8s helm` builds the app at least twice per stage: once as written, which is validated and
 * whose values become the chart's values files, and once under {@link withPlaceholders}, where every
 * value is a placeholder that becomes a `{{ .Values… }}` expression in the templates; then once
 * more per other value of a choice or range (see {@link switchVariants}).
 */
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { KubeObject } from '../../manifest/types';
import { KnobKind, KnobRegistry } from './knobs';

const METADATA_TYPE = 'habr-k8s:chart-values';
/** The build in progress under {@link withPlaceholders}: global, so that every bundled copy of this module sees it. */
const PLACEHOLDERS = Symbol.for('habr-k8s:chart-placeholders');

/** Values of {@link ChartValuesOptions.choices} and {@link ChartValuesOptions.ranges} set for one build, by dotted path. */
export type SwitchValues = Readonly<Record<string, string | number>>;

interface PlaceholderBuild {
  readonly registry: KnobRegistry;
  readonly switches: SwitchValues;
}

/** A tree of values: objects whose leaves are strings and integers. */
export interface ValuesTree {
  readonly [key: string]: string | number | ValuesTree;
}

/** The chart of an app, and how its values are written. */
export interface ChartValuesOptions {
  /** The chart's name (Chart.yaml). @default - the name of the output folder */
  readonly name?: string;
  /** One line for Chart.yaml. @default - "<name>, typed and validated by habr-k8s" */
  readonly description?: string;
  /** The chart's version, bumped by hand when its values or templates change in a way users must notice. @default '0.1.0' */
  readonly version?: string;
  /** The version of the app the chart installs. @default - the chart's version */
  readonly appVersion?: string;
  /**
   * How a value is written where it is not a plain string or integer, by dotted path; `*` stands
   * for one key, e.g. `resources.*.requests.cpu`. `quantity`: a Kubernetes quantity standing alone
   * as a field's value; `optional-string`: a field left out when the value is empty.
   * @default - strings are `string`, numbers `int`
   */
  readonly kinds?: Readonly<Record<string, 'quantity' | 'optional-string'>>;
  /**
   * The unit of a quantity's placeholder, by dotted path, where the value's own unit would make it
   * too large, e.g. `Ki` for a memory request under a limit that is no value.
   * @default - the value's unit
   */
  readonly placeholderUnits?: Readonly<Record<string, string>>;
  /**
   * Values that choose between alternatives, by dotted path, e.g. a release's active version: the
   * chart renders the app once per alternative and templates each field that differs as a lookup
   * on the value; the schema's `enum`.
   * @default - none
   */
  readonly choices?: Readonly<Record<string, readonly string[]>>;
  /**
   * Integer values in a range, by dotted path, from which the app derives fields as `value + n` or
   * `n - value`, e.g. a canary weight and its complement: the chart renders the app at three
   * values of the range to find those fields; the schema's `minimum` and `maximum`.
   * @default - none
   */
  readonly ranges?: Readonly<Record<string, { readonly minimum: number; readonly maximum: number }>>;
  /** `values.schema.json` (a JSON Schema, draft-07). @default - one made from the values: their keys, and integers or strings */
  readonly schema?: Readonly<Record<string, unknown>>;
  /** The comment atop this stage's values file. @default - what wrote it, and how to render it */
  readonly valuesComment?: string;
  /** Objects left out of the chart, e.g. a Namespace that exists in every cluster. @default - none */
  readonly leaveOut?: (object: KubeObject) => boolean;
  /** The command named in the chart's "Written by" comments. @default 'habr-k8s helm' */
  readonly writtenBy?: string;
}

/** What {@link chartValues} recorded on an App. */
export interface ChartValuesDeclaration {
  /** The values as the app was given them (never placeholders). */
  readonly values: ValuesTree;
  readonly options: ChartValuesOptions;
  /** The path of the construct they were declared on. */
  readonly declaredAt: string;
}

/** The dotted path of every leaf, with its value, in declaration order. */
export function valueLeaves(values: ValuesTree, prefix = ''): { path: string; value: unknown }[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const at = prefix ? `${prefix}.${key}` : key;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? valueLeaves(value as ValuesTree, at) : [{ path: at, value }];
  });
}

function matches(pattern: string, path: string): boolean {
  const want = pattern.split('.');
  const have = path.split('.');
  return want.length === have.length && want.every((segment, i) => segment === '*' || segment === have[i]);
}

/** How the leaf at `path` is written. */
export function kindOf(path: string, value: unknown, options: ChartValuesOptions): KnobKind {
  const declared = Object.entries(options.kinds ?? {}).find(([pattern]) => matches(pattern, path))?.[1];
  return declared ?? (typeof value === 'number' ? 'int' : 'string');
}

/** Every leaf that cannot be a value of the chart, with why; empty when all can. */
function problems(values: ValuesTree, options: ChartValuesOptions): string[] {
  return valueLeaves(values).flatMap(({ path, value }) => {
    const kind = kindOf(path, value, options);
    if (typeof value === 'number') {
      if (kind !== 'int') return [`${path}: ${value} is a number, but a ${kind} value is a string`];
      return Number.isInteger(value) ? [] : [`${path}: ${value} is no integer; a value is a string or an integer`];
    }
    if (typeof value !== 'string') return [`${path}: ${JSON.stringify(value) ?? String(value)} is neither a string nor an integer`];
    if (kind === 'quantity' && !/^[0-9]+(\.[0-9]+)?[A-Za-z]*$/.test(value)) return [`${path}: ${JSON.stringify(value)} is no quantity`];
    return [];
  }).concat(switchProblems(values, options));
}

/** Every choice or range that is no leaf of the values or whose value it does not allow. */
function switchProblems(values: ValuesTree, options: ChartValuesOptions): string[] {
  const byPath = new Map(valueLeaves(values).map(({ path, value }) => [path, value]));
  const choices = Object.entries(options.choices ?? {}).flatMap(([path, alternatives]) => {
    const value = byPath.get(path);
    if (!byPath.has(path)) return [`choice ${path} is no value`];
    return alternatives.includes(value as string) ? [] : [`${path}: ${JSON.stringify(value)} is none of its choices ${alternatives.join(', ')}`];
  });
  const ranges = Object.entries(options.ranges ?? {}).flatMap(([path, { minimum, maximum }]) => {
    const value = byPath.get(path);
    if (!byPath.has(path)) return [`range ${path} is no value`];
    if (!(maximum - minimum >= 2)) return [`range ${path}: ${minimum} to ${maximum} holds fewer than three integers`];
    return typeof value === 'number' && value >= minimum && value <= maximum ? [] : [`${path}: ${JSON.stringify(value)} is not an integer from ${minimum} to ${maximum}`];
  });
  return [...choices, ...ranges];
}

/** Whether the leaf at `path` is a choice or a range, which a build gets as a value rather than a placeholder. */
export function isSwitch(path: string, options: ChartValuesOptions): boolean {
  return path in (options.choices ?? {}) || path in (options.ranges ?? {});
}

function placeholderTree(values: ValuesTree, options: ChartValuesOptions, build: PlaceholderBuild, prefix = ''): ValuesTree {
  const { registry } = build;
  return Object.fromEntries(Object.entries(values).map(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'object') return [key, placeholderTree(value, options, build, path)];
    if (isSwitch(path, options)) return [key, build.switches[path] ?? value];
    const kind = kindOf(path, value, options);
    if (kind === 'int') return [key, registry.int(path)];
    if (kind === 'optional-string') return [key, registry.optionalString(path)];
    if (kind === 'quantity') return [key, registry.quantity(path, options.placeholderUnits?.[path] ?? /[A-Za-z]*$/.exec(String(value))![0])];
    return [key, registry.string(path)];
  }));
}

/**
 * Declares the values of the app's Helm chart, and returns the values to build the app from:
 * `values` themselves, or placeholders of the same shape while `habr-k8s helm` renders the
 * templates (choices and ranges keep a value: the one the build sets, else their own). Every leaf is a string or an integer; an app declares its values once. Throws, naming
 * every leaf that cannot be a value, when one cannot.
 */
export function chartValues<V extends object>(scope: IConstruct, values: V, options: ChartValuesOptions = {}): V {
  const root = scope.node.root;
  const tree = values as unknown as ValuesTree;
  const bad = problems(tree, options);
  if (root.node.metadata.some((entry) => entry.type === METADATA_TYPE)) bad.unshift('the app declares its chart values a second time; declare them once');
  if (bad.length) throw new Error(`${scope.node.path || '<app>'}: chart values: ${bad.join('; ')}`);
  const declaration: ChartValuesDeclaration = { values: tree, options, declaredAt: scope.node.path };
  root.node.addMetadata(METADATA_TYPE, declaration);
  const build = (globalThis as Record<symbol, PlaceholderBuild | undefined>)[PLACEHOLDERS];
  return (build ? placeholderTree(tree, options, build) : values) as V;
}

/**
 * The switch values of the builds that find what each choice and range changes, besides the build
 * with the declared values: every other alternative of a choice, and two other integers of a range
 * (its ends, or an end and its middle).
 */
export function switchVariants(declaration: ChartValuesDeclaration | undefined): SwitchValues[] {
  if (!declaration) return [];
  const byPath = new Map(valueLeaves(declaration.values).map(({ path, value }) => [path, value]));
  const choices = Object.entries(declaration.options.choices ?? {}).flatMap(([path, alternatives]) =>
    alternatives.filter((alternative) => alternative !== byPath.get(path)).map((alternative) => ({ [path]: alternative })));
  const ranges = Object.entries(declaration.options.ranges ?? {}).flatMap(([path, { minimum, maximum }]) =>
    [minimum, maximum, Math.floor((minimum + maximum) / 2)].filter((value) => value !== byPath.get(path)).slice(0, 2).map((value) => ({ [path]: value })));
  return [...choices, ...ranges];
}

/** What the App declared with {@link chartValues}, if anything. */
export function chartValuesOf(app: App): ChartValuesDeclaration | undefined {
  return app.node.metadata.find((entry) => entry.type === METADATA_TYPE)?.data as ChartValuesDeclaration | undefined;
}

/**
 * Runs `build` (which may return a promise) with every {@link chartValues} call answering
 * placeholders from `registry`, and the choices and ranges in `switches` set to those values.
 * Share one registry among the builds of a chart, so that a value has one placeholder in every stage.
 */
export function withPlaceholders<T>(registry: KnobRegistry, build: () => T, switches: SwitchValues = {}): T {
  const global = globalThis as Record<symbol, PlaceholderBuild | undefined>;
  if (global[PLACEHOLDERS]) throw new Error('an app is already being built with placeholders');
  global[PLACEHOLDERS] = { registry, switches };
  const done = () => {
    global[PLACEHOLDERS] = undefined;
  };
  let result: T;
  try {
    result = build();
  } catch (error) {
    done();
    throw error;
  }
  if (result instanceof Promise) return result.finally(done) as T;
  done();
  return result;
}
