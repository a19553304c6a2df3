/**
 * Reads `app` and `output` of a cdk8s.yaml. Nearly every file gives them as one-line plain scalars
 * at the top level (`app: npx ts-node main.ts`); those are read here without loading the `yaml`
 * package, which costs a synth of the demo about 50 ms of CPU (a sixth of it). Any other form of the
 * file (quotes, flow collections, multi-line or special values, several documents, tabs) is parsed
 * by the `yaml` package, so the result is always what a YAML parser says.
 */

/** The keys of cdk8s.yaml that habr-k8s reads. */
export interface Cdk8sConfig {
  readonly app?: unknown;
  readonly output?: unknown;
}

const READ_KEYS = new Set(['app', 'output']);
/** A top-level line: a simple key, a colon, then a space, a comment or nothing. */
const TOP_LEVEL_KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?:\s(.*))?$/;
/** A value that YAML reads as a plain string on one line: no indicator first, no `: ` or ` #` inside, no number, boolean or null. */
const PLAIN_STRING = /^(?![-?:,[\]{}#&*!|>'"%@`])(?!(?:null|Null|NULL|~|true|True|TRUE|false|False|FALSE|[-+]?\.?[0-9].*|\.(?:inf|Inf|INF|nan|NaN|NAN))$)(?:[^:#]|:(?!\s|$)|(?<!\s)#)*$/;

/** The keys the fast path is sure of, or undefined when the yaml package must decide. @internal */
export function readPlainConfig(text: string): Cdk8sConfig | undefined {
  if (text.includes('\t') || text.includes('\r')) return undefined;
  const lines = text.split('\n');
  const found: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '' || line.startsWith(' ') || line.startsWith('#')) continue;
    const match = TOP_LEVEL_KEY.exec(line);
    if (!match) return undefined;
    const [, key, rest = ''] = match;
    if (!READ_KEYS.has(key)) continue;
    if (key in found) return undefined;
    const value = rest.replace(/\s#.*$/, '').trim();
    const next = lines.slice(i + 1).find((candidate) => candidate.trim() !== '' && !/^\s*#/.test(candidate));
    // A value continued on indented lines, or one that is not a plain string.
    if (!PLAIN_STRING.test(value) || value === '' || (next !== undefined && next.startsWith(' '))) return undefined;
    found[key] = value;
  }
  return found;
}

/** `app` and `output` of the cdk8s.yaml `text` (other keys are left out); throws the yaml package's error on a broken file. */
export function parseCdk8sConfig(text: string): Cdk8sConfig {
  const simple = readPlainConfig(text);
  if (simple) return simple;
  const parsed = (require('yaml') as typeof import('yaml')).parse(text) as unknown;
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('it is no mapping of keys to values');
  const { app, output } = parsed as Record<string, unknown>;
  return { ...(app !== undefined ? { app } : {}), ...(output !== undefined ? { output } : {}) };
}
