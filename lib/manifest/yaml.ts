/**
 * A fast YAML emitter for JSON-like data (Kubernetes manifests).
 *
 * It writes the same block layout as `yaml.stringify(value, { lineWidth: 0 })`, which is what
 * cdk8s uses, but as plain string building instead of a `yaml` Document tree per object.
 *
 * Every string is written so that YAML 1.1 and YAML 1.2 parsers both read back the same string:
 * a string is written plain only when it cannot be mistaken for anything else (bool, null, number,
 * timestamp, merge key, indicator, comment, document marker); otherwise it is double-quoted.
 * Multi-line strings become literal block scalars when that is exact, double-quoted otherwise.
 *
 * Known differences from `yaml.stringify` (all parse to the same value):
 * - strings starting with `-`, `?` or `:` (e.g. `-c`) are always quoted;
 * - strings that only look numeric to some parser (`1.2.3`, `10.0.0.1`, `1_000`) are quoted;
 * - quoted strings always use double quotes, never single quotes;
 * - exponent floats get a `.0` mantissa (`1.0e+21`), which YAML 1.1 parsers such as PyYAML need;
 * - a top-level multi-line string is indented;
 * - multi-line strings with trailing spaces, tabs or a leading space on the first line are
 *   double-quoted rather than written as block scalars with an indentation indicator.
 */

const INDENT_STEP = '  ';

/**
 * Implicit keys may be at most 1024 characters long in YAML; longer keys are written in
 * explicit `? key` form. The margin keeps us clear of off-by-one readings of that limit.
 */
const MAX_IMPLICIT_KEY_LENGTH = 1000;

/** Characters that are invisible, non-printable in YAML, or line breaks only in YAML 1.1. */
const ODD_CHARACTER_CLASS = '\\p{C}\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const ODD_CHARACTER = new RegExp(`[${ODD_CHARACTER_CLASS}]`, 'u');
const ODD_CHARACTER_EXCEPT_NEWLINE = new RegExp(`(?!\\n)[${ODD_CHARACTER_CLASS}]`, 'u');
/** What JSON.stringify leaves unescaped but a YAML double-quoted scalar must not contain raw. */
const UNESCAPED_BY_JSON = /[\p{C}\u2028\u2029]/gu;

/**
 * Leading indicator characters, leading or trailing whitespace, `: ` and ` #` inside, a trailing
 * `:`, and a leading document-end marker `...`.
 */
const STRUCTURAL_PITFALL = /^[-?:,[\]{}#&*!|>'"%@`\s]|^\.\.\.|\s$|: | #|:$/;
/**
 * Most manifest strings (names, keys, paths, enum values) match this, and then only a reserved
 * word can be misread: no indicator, space, colon, `#`, number or date can be involved.
 */
const SIMPLE_WORD = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
/** YAML 1.1 booleans and nulls in any case, the merge key `<<` and the YAML 1.1 value key `=`. */
const RESERVED_WORD = /^(?:y|yes|n|no|true|false|on|off|null|~|<<|=)$/i;
/**
 * Anything made only of characters that appear in YAML 1.1/1.2 numbers (decimal, octal `0o`
 * and `0755`, hex, binary, `_` separators, exponents, `1:20` sexagesimal) and starting like a
 * number, plus `.inf`/`.nan`. Deliberately broader than any schema: `1.2.3` is quoted too.
 */
const NUMBER_LIKE = /^[-+]?(?:\.(?:inf|nan)|[0-9.][0-9a-fox_.:+-]*)$/i;
/** YAML 1.1 timestamps start with a date; quoting every date-prefixed string is the safe superset. */
const DATE_PREFIX = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/;

/** A line ending in whitespace would be stripped by editors and is ambiguous to readers. */
const LINE_WITH_TRAILING_SPACE = / \n| $/;
/** A literal block's indentation is taken from its first non-empty line. */
const FIRST_CONTENT_LINE_STARTS_WITH_SPACE = /^\n* /;
const HAS_CONTENT = /[^\n]/;

/** Serializes one JSON-like value as a YAML document (without a leading `---`). */
export function toYaml(value: unknown): string {
  if (value === undefined) {
    throw new TypeError('toYaml: undefined is not a YAML document');
  }
  if (isNonEmptySequence(value)) return writeSequence(value, '', '');
  if (isNonEmptyMapping(value)) return writeMapping(value, '', '');
  return writeScalar(value, INDENT_STEP) + '\n';
}

const DOCUMENT_SEPARATOR = '---\n';

/**
 * Documents are joined into flat strings this many at a time. A document is built by appending,
 * so until it is joined it is a tree of string pieces several times the size of its text; joining
 * all of a stream's documents at the end kept every tree alive (30,000 documents: twice the time
 * and 120 MB more peak memory than joining them 32 at a time).
 */
const DOCUMENTS_PER_JOIN = 32;

/** Serializes documents into one multi-document stream, separated like cdk8s does (`---\n`). */
export function toYamlStream(values: readonly unknown[]): string {
  const joined: string[] = [];
  for (let start = 0; start < values.length; start += DOCUMENTS_PER_JOIN) {
    const end = Math.min(values.length, start + DOCUMENTS_PER_JOIN);
    const documents = new Array<string>(end - start);
    // A hole stays a hole, which join writes as an empty document, as `map` then `join` did.
    for (let i = start; i < end; i++) if (i in values) documents[i - start] = toYaml(values[i]);
    joined.push(documents.join(DOCUMENT_SEPARATOR));
  }
  return joined.join(DOCUMENT_SEPARATOR);
}

type Mapping = Record<string, unknown>;

function isNonEmptySequence(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && value.length > 0;
}

function isNonEmptyMapping(value: unknown): value is Mapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  assertPlainObject(value);
  for (const key in value) {
    if ((value as Mapping)[key] !== undefined && Object.prototype.hasOwnProperty.call(value, key)) return true;
  }
  return false;
}

function assertPlainObject(value: object): void {
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    const name = prototype?.constructor?.name ?? 'unknown';
    throw new TypeError(`toYaml: cannot serialize an instance of ${name}; pass plain JSON-like data`);
  }
}

/** Writes entries at `indent`; the first line starts with `firstPrefix` (after a `- `, it is empty). */
function writeMapping(mapping: Mapping, indent: string, firstPrefix: string): string {
  let out = '';
  let prefix = firstPrefix;
  for (const key of Object.keys(mapping)) {
    const value = mapping[key];
    if (value === undefined) continue;
    const formattedKey = formattedKeyOf(key);
    out += formattedKey.length > MAX_IMPLICIT_KEY_LENGTH
      ? `${prefix}? ${formattedKey}\n${indent}:${writeEntryValue(value, indent)}`
      : `${prefix}${formattedKey}:${writeEntryValue(value, indent)}`;
    prefix = indent;
  }
  return out;
}

/**
 * Keys as written (plain or quoted), by key: the same few keys recur in every manifest, so each is
 * checked once. Bounded, so odd data cannot grow it without end.
 */
const FORMATTED_KEYS = new Map<string, string>();
const MAX_FORMATTED_KEYS = 10_000;

function formattedKeyOf(key: string): string {
  let formatted = FORMATTED_KEYS.get(key);
  if (formatted === undefined) {
    formatted = formatFlowString(key);
    if (FORMATTED_KEYS.size >= MAX_FORMATTED_KEYS) FORMATTED_KEYS.clear();
    FORMATTED_KEYS.set(key, formatted);
  }
  return formatted;
}

/** Writes items at `indent`; the first line starts with `firstPrefix` (after a `- `, it is empty). */
function writeSequence(sequence: readonly unknown[], indent: string, firstPrefix: string): string {
  const childIndent = indent + INDENT_STEP;
  let out = '';
  let prefix = firstPrefix;
  for (const item of sequence) {
    out += `${prefix}- ${writeSequenceItem(item, childIndent)}`;
    prefix = indent;
  }
  return out;
}

/** The text after `key:` for a mapping entry whose key sits at `indent`, up to and including the newline. */
function writeEntryValue(value: unknown, indent: string): string {
  const childIndent = indent + INDENT_STEP;
  if (isNonEmptySequence(value)) return '\n' + writeSequence(value, childIndent, childIndent);
  if (isNonEmptyMapping(value)) return '\n' + writeMapping(value, childIndent, childIndent);
  return ' ' + writeScalar(value, childIndent) + '\n';
}

/** The text after `- ` for a sequence item whose content is indented to `childIndent`. */
function writeSequenceItem(item: unknown, childIndent: string): string {
  if (isNonEmptySequence(item)) return writeSequence(item, childIndent, '');
  if (isNonEmptyMapping(item)) return writeMapping(item, childIndent, '');
  // Arrays hold undefined as null, as JSON does.
  return writeScalar(item === undefined ? null : item, childIndent) + '\n';
}

/** A scalar or empty collection on one line, or a block scalar whose lines are at `blockIndent`. */
function writeScalar(value: unknown, blockIndent: string): string {
  switch (typeof value) {
    case 'string':
      return formatString(value, blockIndent);
    case 'number':
      return formatNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? '[]' : '{}';
    default:
      throw new TypeError(`toYaml: cannot serialize a value of type ${typeof value}`);
  }
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) {
    throw new RangeError(`toYaml: ${value} is not a valid number in a manifest`);
  }
  if (Object.is(value, -0)) return '-0';
  const text = String(value);
  // YAML 1.1 floats need a dot in the mantissa: PyYAML reads `1e+21` as a string.
  return /^-?[0-9]+e/.test(text) ? text.replace('e', '.0e') : text;
}

function formatString(value: string, blockIndent: string): string {
  if (value.includes('\n') && canBeLiteralBlock(value)) return formatLiteralBlock(value, blockIndent);
  return formatFlowString(value);
}

/** A string on one line: plain when unambiguous, double-quoted otherwise. */
function formatFlowString(value: string): string {
  return canBePlain(value) ? value : doubleQuote(value);
}

function canBePlain(value: string): boolean {
  if (SIMPLE_WORD.test(value)) return !RESERVED_WORD.test(value);
  return (
    value.length > 0 &&
    !STRUCTURAL_PITFALL.test(value) &&
    !RESERVED_WORD.test(value) &&
    !NUMBER_LIKE.test(value) &&
    !DATE_PREFIX.test(value) &&
    !ODD_CHARACTER.test(value)
  );
}

function canBeLiteralBlock(value: string): boolean {
  return (
    HAS_CONTENT.test(value) &&
    !ODD_CHARACTER_EXCEPT_NEWLINE.test(value) &&
    !LINE_WITH_TRAILING_SPACE.test(value) &&
    !FIRST_CONTENT_LINE_STARTS_WITH_SPACE.test(value)
  );
}

/** `|-` strips the final newline, `|` clips to one, `|+` keeps them all. */
function formatLiteralBlock(value: string, indent: string): string {
  const trailingNewlines = countTrailingNewlines(value);
  const header = trailingNewlines === 0 ? '|-' : trailingNewlines === 1 ? '|' : '|+';
  const body = trailingNewlines === 0 ? value : value.slice(0, -1);
  let out = header;
  for (const line of body.split('\n')) {
    out += line === '' ? '\n' : `\n${indent}${line}`;
  }
  return out;
}

function countTrailingNewlines(value: string): number {
  let count = 0;
  while (count < value.length && value[value.length - 1 - count] === '\n') count++;
  return count;
}

/**
 * JSON string syntax is valid YAML double-quoted syntax in 1.1 and 1.2, except that JSON leaves
 * some characters raw that YAML does not allow raw (C1 controls, format characters, unassigned
 * code points) or reads as line breaks (U+2028, U+2029 in YAML 1.1); those get YAML escapes.
 */
function doubleQuote(value: string): string {
  return JSON.stringify(value).replace(UNESCAPED_BY_JSON, escapeCodePoint);
}

function escapeCodePoint(character: string): string {
  const codePoint = character.codePointAt(0)!;
  const hex = codePoint.toString(16).toUpperCase();
  if (codePoint <= 0xff) return '\\x' + hex.padStart(2, '0');
  if (codePoint <= 0xffff) return '\\u' + hex.padStart(4, '0');
  return '\\U' + hex.padStart(8, '0');
}
