/**
 * YAML scalars as kubectl reads them. kubectl decodes manifests with sigs.k8s.io/yaml, which is
 * go-yaml v2 (YAML 1.1): `y`, `yes`, `on`, `off`… are booleans, `0755` is octal, `0x`, `0o` and
 * `0b` prefixes and `_` digit separators make numbers, and `1e3` is a float. Unlike the `yaml`
 * package's own 1.1 schema, go-yaml v2 has no sexagesimal numbers (`1:30` stays a string) and
 * keeps timestamps as strings. The tags below follow go-yaml v2's `resolve.go`.
 */
import { DocumentOptions, ParseOptions, ScalarTag, SchemaOptions } from 'yaml';

const STRING_TAG = 'tag:yaml.org,2002:str';

/** The JSON type of a value, as a reader of the manifest sees it. */
export type ScalarType = 'null' | 'boolean' | 'number' | 'string';

/** Digit runs may hold `_` anywhere after their first digit: go-yaml v2 strips every `_` before parsing. */
const SIGN = '(?:[-+]_*)?';
/** strconv.ParseInt(s, 0, 64): 0x, 0o, 0b prefixes, a leading 0 for octal, or decimal. */
const GO_INT = new RegExp(`^${SIGN}(?:0_*[xX]_*[0-9a-fA-F][0-9a-fA-F_]*|0_*[oO]_*[0-7][0-7_]*|0_*[bB]_*[01][01_]*|0[0-7_]*|[1-9][0-9_]*)$`);
/** go-yaml's yamlStyleFloat, after the `_` are stripped; a leading `.` goes to strconv.ParseFloat as it is. */
const GO_FLOAT = new RegExp(`^(?:${SIGN}(?:\\._*[0-9][0-9_]*|[0-9][0-9_]*(?:\\.[0-9_]*)?)(?:[eE]_*[-+]?_*[0-9][0-9_]*)?|\\.[0-9]+(?:[eE][-+]?[0-9]+)?)$`);

function goInt(source: string): number {
  const plain = source.replace(/_/g, '');
  const negative = plain.startsWith('-');
  const digits = /^[-+]/.test(plain) ? plain.slice(1) : plain;
  const prefix = digits.slice(0, 2).toLowerCase();
  const value = prefix === '0x' ? parseInt(digits.slice(2), 16)
    : prefix === '0o' ? parseInt(digits.slice(2), 8)
      : prefix === '0b' ? parseInt(digits.slice(2), 2)
        : digits.startsWith('0') ? parseInt(digits, 8) || 0
          : parseInt(digits, 10);
  return negative ? -value : value;
}

const CORE_NULL = /^(?:~|null|Null|NULL)?$/;
const CORE_BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const CORE_NUMBER = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** What a YAML 1.2 reader (the core schema) makes of a plain scalar. */
export function yaml12Type(source: string): ScalarType {
  if (CORE_NULL.test(source)) return 'null';
  if (CORE_BOOL.test(source)) return 'boolean';
  return CORE_NUMBER.test(source) ? 'number' : 'string';
}

export function scalarType(value: unknown): ScalarType {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return typeof value as ScalarType;
  return 'string';
}

/** The words go-yaml v2 reads as null (besides the empty scalar), true and false. */
const NULL_WORDS = ['~', 'null', 'Null', 'NULL'];
const TRUE_WORDS = ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'];
const FALSE_WORDS = ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'];

/** The tags of go-yaml v2's plain-scalar resolution. */
function kubectlTags(): ScalarTag[] {
  const tag = (id: string, test: RegExp, type: ScalarType, resolve: (source: string) => unknown): ScalarTag => ({
    tag: `tag:yaml.org,2002:${id}`,
    default: true,
    test,
    identify: (value) => value !== undefined && scalarType(value) === type,
    resolve,
  });
  const words = (list: readonly string[], orEmpty = false) => new RegExp(`^(?:${list.join('|')})${orEmpty ? '?' : ''}$`);
  return [
    tag('null', words(NULL_WORDS, true), 'null', () => null),
    tag('bool', words(TRUE_WORDS), 'boolean', () => true),
    tag('bool', words(FALSE_WORDS), 'boolean', () => false),
    tag('float', /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/, 'number', (s) => (/nan/i.test(s) ? NaN : s.startsWith('-') ? -Infinity : Infinity)),
    tag('int', GO_INT, 'number', goInt),
    tag('float', GO_FLOAT, 'number', (s) => Number(s.replace(/_/g, ''))),
  ];
}

const KUBECTL_TAGS = kubectlTags();
/**
 * What a plain scalar that starts with a letter reads as: the null and boolean words; any other such
 * scalar is a string (numbers start with a digit, a sign or `.`). One lookup instead of the tags' patterns.
 */
const LETTER_WORDS = new Map<string, boolean | null>([
  ...NULL_WORDS.map((word): [string, null] => [word, null]),
  ...TRUE_WORDS.map((word): [string, boolean] => [word, true]),
  ...FALSE_WORDS.map((word): [string, boolean] => [word, false]),
]);

/** The value kubectl reads from a plain (unquoted, untagged) scalar: the first of go-yaml v2's tags whose pattern matches, else the string. */
export function resolvePlainScalar(source: string): unknown {
  const first = source.charCodeAt(0);
  if ((first >= 65 && first <= 90) || (first >= 97 && first <= 122)) {
    // No such word is longer than five letters: a longer scalar is a string without a lookup.
    const word = source.length > 5 ? undefined : LETTER_WORDS.get(source);
    return word === undefined ? source : word;
  }
  for (const tag of KUBECTL_TAGS) {
    if ((tag.test as RegExp).test(source)) return tag.resolve(source, () => undefined, {});
  }
  return source;
}

/**
 * Whether kubectl reads a plain scalar as another type than a YAML 1.2 reader does. Only plain
 * scalars kubectl reads as null, a boolean or a number can differ: every plain scalar YAML 1.2
 * reads as a non-string, go-yaml v2 reads as the same type.
 */
export function plainScalarChangesType(source: string, value: unknown): boolean {
  if (!(value === null || typeof value === 'boolean' || typeof value === 'number')) return false;
  return scalarType(value) !== yaml12Type(source);
}

/** A plain scalar that kubectl (YAML 1.1) reads as another type than a YAML 1.2 reader does. */
export interface TypeChange {
  readonly path: ReadonlyArray<string | number>;
  /** The scalar as written. */
  readonly source: string;
  /** What kubectl reads. */
  readonly value: unknown;
  readonly isKey: boolean;
  readonly line: number;
}

/** A key that appears again later in the same mapping: kubectl keeps the last value. */
export interface DuplicateKey {
  /** The path of the mapping. */
  readonly path: ReadonlyArray<string | number>;
  readonly key: string;
  /** The line of each occurrence, in order. */
  readonly lines: readonly number[];
}

/**
 * What reading a document notes beside its value, in document order: type changes as met, each
 * mapping's duplicate keys once the mapping is read.
 */
export interface DocumentNotes {
  readonly typeChanges: TypeChange[];
  readonly duplicateKeys: DuplicateKey[];
}

/**
 * Options for the `yaml` package that read documents as kubectl does: YAML 1.1 syntax, go-yaml v2's
 * scalars and merge keys (`<<`), and duplicate keys kept with the last value winning (go-yaml v2's
 * Unmarshal, which sigs.k8s.io/yaml's YAMLToJSON uses, drops the earlier ones without an error).
 */
export const KUBECTL_PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  merge: true,
  uniqueKeys: false,
  customTags: (base) => [...base.filter((tag) => typeof tag === 'object' && (tag.collection !== undefined || tag.tag === STRING_TAG)), ...KUBECTL_TAGS],
};

/** `"on"`, `true`, `493`, `null`: a value as a message shows it. */
export function describeScalar(value: unknown): string {
  const type = scalarType(value);
  return type === 'string' ? `the string ${JSON.stringify(value)}` : type === 'null' ? 'null' : `the ${type} ${String(value)}`;
}
