/** The logic behind `habr-k8s validate <path>... [options]`, kept testable without a process. */
import * as fs from 'fs';
import { parseExternalObject } from '../manifest/output-header';
import { formatReport, validateObjects } from '../validation/index';
import type { RuleScope } from '../validation/scope';
import { KubectlTarget, runKubectl } from '../validation/kubectl';
import { readManifestPaths } from '../manifest/load';
import { parallelFileReader } from '../manifest/parallel-read';
import { startReadWorker } from './read-worker';
import { lowerTiersForSmallInput } from './v8-tiers';
import { dryRunObjects, serverFindings } from '../validation/server-dry-run';
import { ExternalObject, Finding } from '../manifest/types';

export const USAGE = 'usage: habr-k8s validate <file or folder>... [--no-recursive] [--per-file | --per-folder] [--external Kind/name | Kind/namespace/name ...] '
  + '[--kubernetes-version 1.27|1.33] [--server [--kubeconfig path] [--context name] [--kubectl path]]';

export interface CliResult {
  readonly exitCode: number;
  readonly output: string;
}

export interface CliArguments {
  /** The manifest files and folders, validated together as one set. */
  readonly paths: readonly string[];
  readonly externalObjects: readonly ExternalObject[];
  /** @default - the default schema version (1.27) */
  readonly kubernetesVersion?: string;
  /** Read subfolders too (`--no-recursive` turns it off). */
  readonly recursive: boolean;
  /** `--per-file` or `--per-folder`: each file or folder is its own app for the cross-object rules (a folder of unrelated examples). @default 'app' */
  readonly scope: RuleScope;
  /** With `--server`: the cluster whose API server dry-runs every object. */
  readonly server?: KubectlTarget;
}

/** `Secret/db-password` or `Secret/prod/db-password`. */
export function parseExternal(spec: string): ExternalObject {
  try {
    return parseExternalObject(spec);
  } catch (error) {
    throw new Error(`--external ${(error as Error).message}`);
  }
}

/** What an external object looks like on the command line: a kind (capitalized), then one or two names. */
const EXTERNAL_SPEC = /^[A-Z][A-Za-z0-9]*(?:\/[^/\s]+){1,2}$/;

/** A value after `--external` is one only if it looks like Kind/name and is no path on disk: a folder is never swallowed. */
function isExternalSpec(arg: string): boolean {
  return EXTERNAL_SPEC.test(arg) && !fs.existsSync(arg);
}

const VALUE_OPTIONS = ['--kubernetes-version', '--kubeconfig', '--context', '--kubectl'] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];

/**
 * Every value after `--external` that looks like Kind/name (and names no existing path) is an
 * external object, at least one; the other arguments are the files and folders. `--option=value` works too.
 */
export function parseArguments(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliArguments {
  const folders: string[] = [];
  const externalObjects: ExternalObject[] = [];
  const values: Partial<Record<ValueOption, string>> = {};
  let recursive = true;
  let server = false;
  let scope: RuleScope = 'app';
  for (let i = 0; i < args.length; i++) {
    const [arg, inline] = args[i].startsWith('--') && args[i].includes('=') ? [args[i].slice(0, args[i].indexOf('=')), args[i].slice(args[i].indexOf('=') + 1)] : [args[i], undefined];
    if (arg === '--external') {
      const specs = inline !== undefined ? [inline] : [];
      while (inline === undefined && i + 1 < args.length && isExternalSpec(args[i + 1])) specs.push(args[++i]);
      if (!specs.length) throw new Error(`--external needs Kind/name or Kind/namespace/name${i + 1 < args.length ? `, got ${args[i + 1]}` : ''}`);
      externalObjects.push(...specs.map(parseExternal));
    } else if ((VALUE_OPTIONS as readonly string[]).includes(arg)) {
      const value = inline ?? args[++i];
      if (!value || value.startsWith('--')) throw new Error(arg === '--kubernetes-version' ? '--kubernetes-version needs a version, e.g. 1.27' : `${arg} needs a value`);
      values[arg as ValueOption] = value;
    } else if (arg === '--no-recursive') recursive = false;
    else if (arg === '--recursive' || arg === '-R') recursive = true;
    else if (arg === '--server') server = true;
    else if (arg === '--per-file' || arg === '--per-folder') {
      const chosen = arg === '--per-file' ? 'file' : 'folder';
      if (scope !== 'app' && scope !== chosen) throw new Error('--per-file and --per-folder exclude each other');
      scope = chosen;
    }
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else folders.push(arg);
  }
  if (folders.length === 0) throw new Error('missing folder (or manifest files)');
  const targetOptions = (['--kubeconfig', '--context', '--kubectl'] as const).filter((option) => values[option] !== undefined);
  if (!server && targetOptions.length) throw new Error(`${targetOptions.join(', ')} only go with --server`);
  const kubectl = values['--kubectl'] ?? env.KUBECTL;
  return {
    paths: folders,
    externalObjects,
    recursive,
    scope,
    ...(values['--kubernetes-version'] ? { kubernetesVersion: values['--kubernetes-version'] } : {}),
    ...(server ? { server: { kubectl, kubeconfig: values['--kubeconfig'], context: values['--context'] } } : {}),
  };
}

/** The cluster's version, or why it cannot be reached. */
function serverVersion(target: KubectlTarget): { version?: string; error?: string } {
  const result = runKubectl(target, ['version', '-o', 'json']);
  if (result.status !== 0) return { error: (result.stderr.trim() || `kubectl exited ${result.status}`).split('\n').slice(-1)[0] };
  try {
    return { version: JSON.parse(result.stdout).serverVersion?.gitVersion ?? 'unknown' };
  } catch {
    return { version: 'unknown' };
  }
}

/**
 * Exit code 0: no errors; 1: errors found; 2: the command itself could not run (usage, an
 * unreadable folder, an unreachable cluster with `--server`).
 */
export async function runValidateCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  let parsed: CliArguments;
  try {
    parsed = parseArguments(args, env);
  } catch (error) {
    return { exitCode: 2, output: `${(error as Error).message}\n${USAGE}` };
  }
  let restoreTiers = (): void => undefined;
  try {
    const readFiles = parallelFileReader(startReadWorker, undefined, undefined, () => {
      restoreTiers = lowerTiersForSmallInput();
      return restoreTiers;
    });
    const folder = readManifestPaths(parsed.paths, { recursive: parsed.recursive, readFiles });
    const findings: Finding[] = [...folder.findings];
    if (folder.objects.length === 0) {
      findings.push({
        rule: 'manifest-folder', severity: 'error', source: parsed.paths.join(' '), object: 'folder', path: '', apiServer: 'rejects',
        message: `no Kubernetes objects in ${folder.files} manifest file(s)${parsed.recursive ? '' : ' at the top (--no-recursive)'}; kubectl apply -f would say "no objects passed to apply"`,
      });
    }
    const lines = folder.notes.map((note) => `note: ${note}`);
    if (parsed.server) {
      const { version, error } = serverVersion(parsed.server);
      if (error) return { exitCode: 2, output: `cannot reach the cluster for --server: ${error}` };
      const verdicts = await dryRunObjects(folder.objects.map((sourced) => sourced.object), parsed.server);
      findings.push(...serverFindings(verdicts, folder.objects));
      const refused = verdicts.filter((verdict) => !verdict.accepted).length;
      lines.push(`server: Kubernetes ${version}${parsed.server.context ? ` (context ${parsed.server.context})` : ''} dry-ran ${verdicts.length} objects, refused ${refused}`);
    }
    const report = validateObjects(folder.objects, {
      externalObjects: [...parsed.externalObjects, ...folder.externalObjects],
      kubernetesVersion: parsed.kubernetesVersion,
      scope: parsed.scope,
      extraChecks: [() => findings],
    });
    return { exitCode: report.errors > 0 ? 1 : 0, output: [...lines, formatReport(report)].join('\n') };
  } catch (error) {
    return { exitCode: 2, output: `cannot validate ${parsed.paths.join(' ')}: ${(error as Error).message}` };
  } finally {
    restoreTiers();
  }
}
