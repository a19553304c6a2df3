/**
 * The API server's own verdict on objects: each object is sent through `kubectl apply --server-side
 * --dry-run=server`, so it passes authentication, defaulting, strict field validation, the kind's
 * validation and every admission plugin (PodSecurity included), and nothing is stored.
 */
import type * as childProcess from 'child_process';
import { KubectlTarget, kubectlWarnings } from './kubectl';
import { objectLabel } from '../manifest/objects';
import { labelOf } from './rule';
import { Finding, KubeObject, SourcedObject } from '../manifest/types';

/** What the API server said of one object. */
export interface ServerVerdict {
  readonly object: KubeObject;
  /** `Kind namespace/name`, or `Kind name` without a namespace. */
  readonly id: string;
  /** Whether a real apply would have stored it. */
  readonly accepted: boolean;
  /** Why it was refused, as the server (or kubectl) put it; empty when accepted. */
  readonly message: string;
  /** The `Warning:` lines of an accepted or refused object, e.g. PodSecurity's "would violate". */
  readonly warnings: readonly string[];
}

export interface DryRunOptions {
  /** How many kubectl processes run at once. @default 4 */
  readonly concurrency?: number;
  /** The field manager the dry-run applies as. @default 'habr-k8s-validate' */
  readonly fieldManager?: string;
}

/** `Kind namespace/name`, or `Kind name` for an object without a namespace. */
export function objectId(object: KubeObject): string {
  const name = object.metadata?.name ?? '(no name)';
  const namespace = object.metadata?.namespace;
  return objectLabel(object.kind, namespace || undefined, name);
}

/** kubectl's error lines without its `Error from server (Invalid): error when …:` framing: the server's own words. */
function refusalMessage(stderr: string): string {
  const errors = stderr
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('Warning: '))
    .join('\n')
    .trim();
  return errors.replace(/^Error from server(?: \(\w+\))?: (?:error when [^:]+: )?/, '');
}

function dryRunOne(object: KubeObject, target: KubectlTarget, fieldManager: string): Promise<ServerVerdict> {
  const args = [
    ...(target.kubeconfig ? ['--kubeconfig', target.kubeconfig] : []),
    ...(target.context ? ['--context', target.context] : []),
    'apply', '--server-side', '--dry-run=server', `--field-manager=${fieldManager}`, '-o', 'name', '-f', '-',
  ];
  return new Promise((resolve) => {
    const { spawn } = require('child_process') as typeof childProcess; // loaded only for --server, as in kubectl.ts
    const child = spawn(target.kubectl ?? 'kubectl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const done = (status: number | null, failure?: string): void => {
      const accepted = status === 0 && stdout.trim() !== '';
      resolve({
        object,
        id: objectId(object),
        accepted,
        message: accepted ? '' : failure ?? (refusalMessage(stderr) || `kubectl exited ${status} without a message`),
        warnings: kubectlWarnings(stderr),
      });
    };
    child.on('error', (error) => done(null, `cannot run ${target.kubectl ?? 'kubectl'}: ${error.message}`));
    child.on('close', (status) => done(status));
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(object));
  });
}

/** Dry-runs every object on its own against the server of `target`; verdicts come back in the objects' order. */
export async function dryRunObjects(objects: readonly KubeObject[], target: KubectlTarget, options: DryRunOptions = {}): Promise<ServerVerdict[]> {
  const verdicts: ServerVerdict[] = new Array(objects.length);
  const fieldManager = options.fieldManager ?? 'habr-k8s-validate';
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < objects.length) {
      const index = next++;
      verdicts[index] = await dryRunOne(objects[index], target, fieldManager);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, objects.length) }, worker));
  return verdicts;
}

/**
 * The field the server names in `Kind "name" is invalid: spec.type: …` or in server-side apply's
 * `.dataa: field not declared in schema`; empty when it names none or several.
 */
function refusedField(message: string): string {
  return (/ is invalid: ([A-Za-z_$][\w$.[\]"-]*): /.exec(message) ?? /: \.([A-Za-z_$][\w$.[\]"-]*): field not declared in schema/.exec(message))?.[1] ?? '';
}

/**
 * The server's verdicts as findings beside ours (rule `server`): a refusal is an error, a warning
 * (PodSecurity's "would violate") a warning. An object refused only because its namespace does not
 * exist yet, while the set creates that Namespace, was not checked: a warning says so.
 */
export function serverFindings(verdicts: readonly ServerVerdict[], objects: readonly SourcedObject[]): Finding[] {
  const namespaces = new Set(objects.filter(({ object }) => object.kind === 'Namespace').map(({ object }) => object.metadata?.name));
  return verdicts.flatMap((verdict, i): Finding[] => {
    const base = { rule: 'server', source: objects[i].source, object: labelOf(verdict.object) };
    const warnings = verdict.warnings.map((message): Finding => ({ ...base, severity: 'warning', path: '', message: `the API server warns: ${message}`, apiServer: 'accepts' }));
    if (verdict.accepted) return warnings;
    const missing = /namespaces "([^"]+)" not found/.exec(verdict.message)?.[1];
    const refusal: Finding = missing !== undefined && namespaces.has(missing)
      ? { ...base, severity: 'warning', path: 'metadata.namespace', apiServer: 'accepts',
        message: `not checked by the API server: namespace ${missing} is created by this set and does not exist yet (${verdict.message})` }
      : { ...base, severity: 'error', path: refusedField(verdict.message), apiServer: 'rejects', message: `the API server refuses it: ${verdict.message.replace(/^Error from server: /, '')}` };
    return [refusal, ...warnings];
  });
}
