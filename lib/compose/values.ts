/**
 * The value syntaxes of a compose file, parsed as docker compose reads them: durations, byte
 * sizes, commands in string form and `${VARIABLE}` interpolation.
 */

import { UserError } from '../errors';

/** A compose file the importer cannot read, or an app folder it may not write; its message names the file and the field (exit code 1). */
export class ComposeError extends UserError {}

const DURATION_UNITS: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001, µs: 0.000001, ns: 1e-9 };

/** Seconds of a Go duration such as `30s`, `1m30s` or `500ms`; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(text)) return undefined;
  let seconds = 0;
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) seconds += Number(amount) * DURATION_UNITS[unit];
  return seconds;
}

const BYTE_UNITS: Readonly<Record<string, number>> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };

/**
 * A docker byte size as docker reads it (go-units RAMInBytes: `512m`, `512M`, `512mb`, `512MiB`,
 * `1.5g`, `1t`, `1000`; units are powers of 1024, case-insensitive) as a Kubernetes quantity:
 * `512Mi`, `1536Mi`, `1Ti`, or plain bytes. Undefined when it is not one.
 */
export function bytesToQuantity(text: string | number): string | undefined {
  const bytes = bytesOf(String(text));
  if (bytes === undefined) return undefined;
  for (const [suffix, size] of [['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
  }
  return String(bytes);
}

function bytesOf(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/.exec(text.trim().toLowerCase());
  return match ? Math.round(Number(match[1]) * BYTE_UNITS[match[2] ?? '']) : undefined;
}

/** The largest Java heap in environment values and command words: parsed where the `memory-flags` rule parses it. */
export { javaMaxHeapBytes } from '../manifest/memory-flags';

/** Docker's `cpus` (`0.5`, `2`) as a Kubernetes CPU quantity: `500m`, `2`. Undefined when it is not a positive number. */
export function cpusToQuantity(cpus: string | number): string | undefined {
  const value = Number(cpus);
  if (!Number.isFinite(value) || value <= 0) return undefined;
  return Number.isInteger(value) ? String(value) : `${Math.round(value * 1000)}m`;
}

/**
 * A command in string form split into words as compose does (POSIX shell quoting, without
 * expansion): `sh -c "echo a b"` is `['sh', '-c', 'echo a b']`.
 */
export function splitCommand(text: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (c === '\\' && i + 1 < text.length && (quote === undefined || '"\\$`'.includes(text[i + 1]))) {
      word = (word ?? '') + text[++i];
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word = word ?? '';
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) return undefined;
  if (word !== undefined) words.push(word);
  return words;
}

/** A `${NAME}` reference to a variable that is not set and has no default: compose makes it empty. */
export interface UnsetVariable {
  readonly name: string;
}

/** Variables interpolation reads: the `.env` file next to the compose file; never the shell of whoever runs the import. */
export type Variables = Readonly<Record<string, string>>;

/**
 * Compose's interpolation of one string (compose-spec "Interpolation"): `${NAME}` and `$NAME`
 * are the value, or an empty string reported through `unset`; `${NAME:-default}` is the default
 * when NAME is unset or empty, `${NAME-default}` when it is unset; `${NAME:+other}` is `other`
 * when NAME is set and not empty, `${NAME+other}` when it is set, else empty; `${NAME:?message}`
 * (unset or empty) and `${NAME?message}` (unset) are refused with a ComposeError naming NAME;
 * `$$` is a `$`.
 */
export function interpolate(text: string, variables: Variables, unset: (variable: UnsetVariable) => void): string {
  return text.replace(/\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_match, body: string, braced?: string, operator?: string, argument?: string, bare?: string) => {
      if (body === '$') return '$';
      const name = (braced ?? bare)!;
      const value = Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined;
      const empty = value === undefined || (operator?.startsWith(':') ?? false) && value === '';
      switch (operator) {
        case ':-': case '-': return empty ? argument ?? '' : value!;
        case ':+': case '+': return empty ? '' : argument ?? '';
        case ':?': case '?':
          if (empty) throw new ComposeError(`\${${name}} is required${argument ? ` (${argument})` : ''} but ${value === undefined ? 'not set' : 'empty'}: set it in the .env file next to the compose file`);
          return value!;
        default:
          if (value === undefined) unset({ name });
          return value ?? '';
      }
    });
}

/**
 * The variables of a `.env` file as compose reads it: `NAME=value` lines, `#` comments, an optional
 * `export `, values in single quotes (literal) or double quotes (with `\\n` escapes), and unquoted
 * values up to a ` #` comment.
 */
export function parseDotEnv(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const raw = match[2];
    const quoted = /^(['"])(.*)\1\s*(?:#.*)?$/.exec(raw);
    if (quoted) variables[match[1]] = quoted[1] === '"' ? quoted[2].replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : quoted[2];
    else variables[match[1]] = raw.replace(/\s+#.*$/, '').trim();
  }
  return variables;
}
