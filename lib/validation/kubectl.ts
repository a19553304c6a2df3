/** Runs kubectl as a user would, for the checks against a live API server. */
import type * as childProcess from 'child_process';

/** Which kubectl to run and against which cluster. */
export interface KubectlTarget {
  /** Path of the kubectl binary. @default - `kubectl` on PATH */
  readonly kubectl?: string;
  /** Path of the kubeconfig. @default - kubectl's own choice (KUBECONFIG, then ~/.kube/config) */
  readonly kubeconfig?: string;
  /** The kubeconfig context. @default - the current context */
  readonly context?: string;
}

/** What one kubectl call printed, and its exit code (`null` when it could not start). */
export interface KubectlResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `kubectl <args>` synchronously, with `input` on its standard input. */
export function runKubectl(target: KubectlTarget, args: readonly string[], input?: string): KubectlResult {
  const flags = [
    ...(target.kubeconfig ? ['--kubeconfig', target.kubeconfig] : []),
    ...(target.context ? ['--context', target.context] : []),
  ];
  // Loaded here: only --server runs kubectl, and child_process costs every other run about 3 ms to load.
  const { spawnSync } = require('child_process') as typeof childProcess;
  const result = spawnSync(target.kubectl ?? 'kubectl', [...flags, ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) return { status: null, stdout: '', stderr: `cannot run ${target.kubectl ?? 'kubectl'}: ${result.error.message}` };
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The `Warning: …` lines kubectl prints for what the server accepted but warned about. */
export function kubectlWarnings(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('Warning: '))
    .map((line) => line.slice('Warning: '.length));
}
