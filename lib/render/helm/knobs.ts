/**
 * The knobs of a Helm chart made from a typed app: each one is a path in the chart's values, a
 * kind (how a template writes it) and a JSON Schema for `values.schema.json`. While the app is
 * rendered for the chart, each knob stands in the manifests as a placeholder unique to it, which
 * {@link templateYaml} turns into a template expression.
 */

/** How a knob is written into a manifest. */
export type KnobKind =
  /** A string (possibly inside a longer string, e.g. the tag of an image reference). */
  | 'string'
  /** An integer field. */
  | 'int'
  /** A string that stands alone as a field's value (a Kubernetes quantity). */
  | 'quantity'
  /** A string field left out of the manifest when the value is empty. */
  | 'optional-string'
  /** A field computed from a choice or range value by a template expression (one knob per field). */
  | 'expression';

/** A JSON Schema (draft-07) fragment. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonSchema = Record<string, any>;

export interface Knob {
  /** Dotted path in the values, e.g. `replicas.worker`. */
  readonly path: string;
  readonly kind: KnobKind;
  /** What stands in the manifests for it while the chart is rendered. */
  readonly placeholder: string | number;
  /** For an `expression` knob: what the template writes as the field's value, e.g. `.Values.x | quote`. */
  readonly expression?: string;
}

/**
 * Hands out placeholders: strings `zzhv<n>zz` (a valid DNS label, image name and tag), integers
 * 9000<nn>, and quantities `9100<nn>Mi` or `9100<nn>m`. Each is handed out in increasing order,
 * so constraints such as "minReplicas ≤ maxReplicas" hold for placeholders given in that order.
 */
export class KnobRegistry {
  private readonly byPath = new Map<string, Knob>();
  private readonly expressions: Knob[] = [];
  private next = 1;

  get knobs(): readonly Knob[] {
    return [...this.byPath.values(), ...this.expressions];
  }

  /** A string placeholder for one field that the template writes as `{{ <expression> }}`, computed from the value at `path`. */
  expression(path: string, expression: string): string {
    const placeholder = `zzhv${this.counter()}zz`;
    this.expressions.push({ path, kind: 'expression', placeholder, expression });
    return placeholder;
  }

  string(path: string): string {
    return this.add(path, 'string', `zzhv${this.counter()}zz`) as string;
  }

  optionalString(path: string): string {
    return this.add(path, 'optional-string', `zzhv${this.counter()}zz`) as string;
  }

  int(path: string): number {
    return this.add(path, 'int', 900000 + Number(this.counter())) as number;
  }

  /** A quantity placeholder with the given unit suffix (`Mi`, `Gi`, `m`, or '' for plain numbers). */
  quantity(path: string, unit: string): string {
    return this.add(path, 'quantity', `${910000 + Number(this.counter())}${unit}`) as string;
  }

  private counter(): string {
    const n = this.next++;
    if (n > 9999) throw new Error('too many knobs');
    return String(n).padStart(4, '0');
  }

  private add(path: string, kind: KnobKind, placeholder: string | number): string | number {
    const existing = this.byPath.get(path);
    if (existing) {
      if (existing.kind !== kind) throw new Error(`knob ${path} used as ${existing.kind} and as ${kind}`);
      return existing.placeholder;
    }
    this.byPath.set(path, { path, kind, placeholder });
    return placeholder;
  }
}

/** A string placeholder of {@link KnobRegistry}, wherever it stands in a string. */
export const STRING_PLACEHOLDER = /zzhv\d{4}zz/g;
const KEY_AND_VALUE = /^(\s*(?:- )*(?:[A-Za-z0-9./_-]+: )?)(\S.*)$/;

function valuesRef(path: string): string {
  return `.Values.${path}`;
}

/** The text of a YAML scalar as the emitter wrote it (plain, double- or single-quoted). */
function scalarText(written: string): string {
  if (written.startsWith('"')) return JSON.parse(written) as string;
  if (written.startsWith("'")) return written.slice(1, -1).replace(/''/g, "'");
  return written;
}

/**
 * Turns the placeholders in one object's YAML into template expressions: a whole-value integer
 * becomes `{{ .Values.x | int }}`, a string `{{ .Values.x | quote }}` (or `print` of its parts when
 * the placeholder is inside a longer string), and a line whose value is an optional string is
 * wrapped in `{{- if .Values.x }}`. Returns the template and the knobs it uses.
 */
export function templateYaml(yaml: string, knobs: readonly Knob[]): { template: string; used: Set<string> } {
  const byPlaceholder = new Map(knobs.map((k) => [String(k.placeholder), k]));
  const used = new Set<string>();
  const lines = yaml.split('\n').map((line) => {
    const match = KEY_AND_VALUE.exec(line);
    if (!match) return line;
    const [, head, written] = match;
    const value = scalarText(written);
    const whole = byPlaceholder.get(value);
    if (whole && whole.kind !== 'string') {
      used.add(whole.path);
      if (whole.kind === 'int') return `${head}{{ ${valuesRef(whole.path)} | int }}`;
      if (whole.kind === 'quantity') return `${head}{{ ${valuesRef(whole.path)} | quote }}`;
      if (whole.kind === 'expression') return `${head}{{ ${whole.expression} }}`;
      return `{{- if ${valuesRef(whole.path)} }}\n${head}{{ ${valuesRef(whole.path)} | quote }}\n{{- end }}`;
    }
    const parts: string[] = [];
    let last = 0;
    for (const found of value.matchAll(STRING_PLACEHOLDER)) {
      const knob = byPlaceholder.get(found[0]);
      if (!knob || knob.kind !== 'string') throw new Error(`placeholder ${found[0]} of no string knob in ${JSON.stringify(line)}`);
      used.add(knob.path);
      if (found.index! > last) parts.push(JSON.stringify(value.slice(last, found.index)));
      parts.push(valuesRef(knob.path));
      last = found.index! + found[0].length;
    }
    if (parts.length === 0) return line;
    if (last < value.length) parts.push(JSON.stringify(value.slice(last)));
    const expression = parts.length === 1 ? parts[0] : `(print ${parts.join(' ')})`;
    return `${head}{{ ${expression} | quote }}`;
  });
  const template = lines.join('\n');
  for (const knob of knobs) {
    if (knob.kind !== 'string' && template.includes(String(knob.placeholder))) {
      throw new Error(`placeholder ${knob.placeholder} of ${knob.path} is left in a place the chart cannot template: ${JSON.stringify(template)}`);
    }
  }
  const left = template.match(STRING_PLACEHOLDER);
  if (left) throw new Error(`placeholder ${left[0]} is left in a place the chart cannot template`);
  return { template, used };
}
