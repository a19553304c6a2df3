/**
 * Choices and ranges (see `ChartValuesOptions`) in the templates. The app is built once with
 * placeholders and the declared values, and once more per other value a switch is given (see
 * `switchVariants`); each field that differs between those builds becomes a template expression of
 * the switch: a lookup of the alternatives for a choice, `value ± n` or `n - value` for a range.
 * Only fields may change: a switch that adds or removes an object or a field, or a field that
 * changes with two switches, is refused.
 */
import { isDeepStrictEqual } from 'util';
import { KubeObject } from '../../manifest/types';
import { ChartManifest } from '../manifests';
import { KnobRegistry, STRING_PLACEHOLDER } from './knobs';
import { ChartValuesDeclaration, SwitchValues, valueLeaves } from './values';

/** One build with a switch set to a value other than its declared one. */
export interface SwitchVariant {
  readonly switches: SwitchValues;
  readonly manifests: readonly ChartManifest[];
}

type Step = string | number;
type Scalar = string | number | boolean | null;

/** A field that changes with one switch: its value in the base build and in each variant's. */
interface SwitchedField {
  readonly object: KubeObject;
  readonly at: readonly Step[];
  readonly switchPath: string;
  readonly values: Map<string | number, Scalar>;
}

/** `Kind namespace/name` as the object is written (no namespace when it names none): how the chart's errors name an object. */
export function nameOf(object: KubeObject): string {
  return `${object.kind} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name}`;
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === 'object';
}

/** The paths of the leaves where `a` and `b` differ; throws where their shapes differ. */
function changedLeaves(a: unknown, b: unknown, where: () => string, at: Step[] = []): { at: Step[]; after: Scalar }[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (!isContainer(a) && !isContainer(b)) return [{ at, after: b as Scalar }];
  const fieldOf = () => at.join('.') || '(the object)';
  if (!isContainer(a) || !isContainer(b) || Array.isArray(a) !== Array.isArray(b)) throw new Error(`${where()} changes the shape of ${fieldOf()}`);
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (!isDeepStrictEqual(keysA, keysB)) throw new Error(`${where()} changes the fields (or list length) of ${fieldOf()}`);
  return keysA.flatMap((key) => {
    const step = Array.isArray(a) ? Number(key) : key;
    return changedLeaves((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], where, [...at, step]);
  });
}

function valueAt(object: unknown, at: readonly Step[]): Scalar {
  return at.reduce<unknown>((node, step) => (node as Record<Step, unknown>)[step], object) as Scalar;
}

function setAt(object: unknown, at: readonly Step[], value: unknown): void {
  const parent = valueAt(object, at.slice(0, -1)) as unknown as Record<Step, unknown>;
  parent[at[at.length - 1]] = value;
}

/** The Go template literal of a scalar. */
function literal(value: Scalar): string {
  return JSON.stringify(value);
}

function choiceExpression(ref: string, field: SwitchedField, alternatives: readonly string[], where: string): string {
  const results = alternatives.map((alternative) => field.values.get(alternative)!);
  if (results.every((result) => typeof result === 'string')) {
    if (results.every((result, i) => result === alternatives[i])) return `${ref} | quote`;
    return `get (dict ${alternatives.map((alternative, i) => `${literal(alternative)} ${literal(results[i])}`).join(' ')}) ${ref} | quote`;
  }
  if (results.every((result) => Number.isInteger(result))) {
    return `get (dict ${alternatives.map((alternative, i) => `${literal(alternative)} ${results[i]}`).join(' ')}) ${ref}`;
  }
  throw new Error(`${where}: its values ${results.map(literal).join(', ')} are neither all strings nor all integers`);
}

function rangeExpression(ref: string, field: SwitchedField, where: string): string {
  const points = [...field.values.entries()] as [number, Scalar][];
  const quoted = typeof points[0][1] === 'string';
  const numbers = points.map(([x, y]) => [x, typeof y === 'string' && /^-?[0-9]+$/.test(y) ? Number(y) : y] as const);
  const cannot = `${where} is no template of ${ref.replace(/^\(|\)$/g, '')}: it must be the value plus or minus a number, or a number minus the value`;
  if (numbers.some(([, y]) => !Number.isInteger(y)) || points.some(([, y]) => typeof y === 'string' !== quoted)) throw new Error(cannot);
  const [[x0, y0], [x1, y1]] = numbers as [number, number][];
  const slope = (y1 - y0) / (x1 - x0);
  const offset = y0 - slope * x0;
  if ((slope !== 1 && slope !== -1) || numbers.some(([x, y]) => y !== offset + slope * x)) throw new Error(cannot);
  let expression: string;
  if (slope === -1) expression = `sub ${offset} ${ref}`;
  else if (offset === 0) expression = ref;
  else expression = offset > 0 ? `add ${ref} ${offset}` : `sub ${ref} ${-offset}`;
  return quoted ? `${expression} | quote` : expression;
}

function dependsOnPlaceholder(value: Scalar, registry: KnobRegistry): boolean {
  if (typeof value === 'string') return new RegExp(STRING_PLACEHOLDER.source).test(value);
  return registry.knobs.some((knob) => knob.placeholder === value);
}

/**
 * The base build's manifests with each field a switch changes replaced by an `expression` knob of
 * `registry`. Throws when a switch changes no field, or changes more than fields.
 */
export function switchedManifests(
  base: readonly ChartManifest[], variants: readonly SwitchVariant[], declaration: ChartValuesDeclaration, registry: KnobRegistry,
): ChartManifest[] {
  const declared = new Map(valueLeaves(declaration.values).map(({ path, value }) => [path, value]));
  const objects = base.flatMap((manifest) => manifest.objects);
  const fields = new Map<string, SwitchedField>();
  for (const variant of variants) {
    const [[switchPath, value]] = Object.entries(variant.switches);
    const setting = `${switchPath}=${value}`;
    const others = variant.manifests.flatMap((manifest) => manifest.objects);
    const names = (list: readonly KubeObject[]) => list.map(nameOf).join(', ');
    if (names(others) !== names(objects)) throw new Error(`${setting} changes which objects the app has; a chart value can only change fields`);
    objects.forEach((object, index) => {
      for (const { at, after } of changedLeaves(object, others[index], () => `${setting}: ${nameOf(object)}`)) {
        const key = `${index} ${JSON.stringify(at)}`;
        const known = fields.get(key);
        if (known && known.switchPath !== switchPath) throw new Error(`${nameOf(object)} ${at.join('.')} changes with ${known.switchPath} and with ${switchPath}; a field may follow one value only`);
        const field = known ?? { object, at, switchPath, values: new Map([[declared.get(switchPath) as string | number, valueAt(object, at)]]) };
        field.values.set(value, after);
        fields.set(key, field);
      }
    });
  }
  const switchPaths = [...Object.keys(declaration.options.choices ?? {}), ...Object.keys(declaration.options.ranges ?? {})];
  const unchanged = switchPaths.filter((switchPath) => ![...fields.values()].some((field) => field.switchPath === switchPath));
  if (unchanged.length) throw new Error(`values ${unchanged.join(', ')} change no template; leave them out of the chart`);

  const copies = new Map(objects.map((object) => [object, JSON.parse(JSON.stringify(object)) as KubeObject]));
  for (const field of fields.values()) {
    const where = `${nameOf(field.object)} ${field.at.join('.')}`;
    if ([...field.values.values()].some((value) => dependsOnPlaceholder(value, registry))) {
      throw new Error(`${where} changes with ${field.switchPath} and holds another value too; a field may follow one value only`);
    }
    // A variant that left the field as it was recorded nothing for it.
    for (const variant of variants) {
      const value = variant.switches[field.switchPath];
      if (value !== undefined && !field.values.has(value)) field.values.set(value, valueAt(field.object, field.at));
    }
    const alternatives = declaration.options.choices?.[field.switchPath];
    const ref = alternatives ? `.Values.${field.switchPath}` : `(.Values.${field.switchPath} | int)`;
    const expression = alternatives ? choiceExpression(ref, field, alternatives, where) : rangeExpression(ref, field, where);
    setAt(copies.get(field.object), field.at, registry.expression(field.switchPath, expression));
  }
  return base.map((manifest) => ({ ...manifest, objects: manifest.objects.map((object) => copies.get(object)!) }));
}
