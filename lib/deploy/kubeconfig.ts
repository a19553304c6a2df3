/**
 * Which kubeconfig and context a command uses, chosen as kubectl chooses them (client-go
 * clientcmd loading rules): `--kubeconfig FILE` alone; else the files of `KUBECONFIG`
 * (path-list separated, missing files skipped) merged so that the first file to define a
 * cluster, user or context, or the current context, wins; else `~/.kube/config`. Then
 * `--context NAME`, else the current context.
 * @module
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UsageError, UserError } from '../errors';

export interface ConnectionOptions {
  /** `--kubeconfig`. */
  readonly kubeconfig?: string;
  /** `--context`. */
  readonly context?: string;
}

/** The parts of a kubeconfig file the merge looks at; entries keep every other field. */
export interface KubeconfigParts {
  readonly clusters: ReadonlyArray<{ readonly name: string }>;
  readonly users: ReadonlyArray<{ readonly name: string }>;
  readonly contexts: ReadonlyArray<{ readonly name: string; readonly cluster?: string; readonly user?: string }>;
  readonly currentContext: string;
}

/** The kubeconfig files to read, in precedence order. */
export function kubeconfigFiles(options: ConnectionOptions, env: NodeJS.ProcessEnv, cwd: string): string[] {
  if (options.kubeconfig) {
    const file = path.resolve(cwd, options.kubeconfig);
    if (!fs.existsSync(file)) throw new UsageError(`--kubeconfig ${options.kubeconfig}: no such file`);
    return [file];
  }
  if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(path.delimiter).filter((file) => file !== '').map((file) => path.resolve(cwd, file)).filter((file) => fs.existsSync(file));
    if (files.length === 0) throw new UsageError(`KUBECONFIG=${env.KUBECONFIG}: none of its files exists`);
    return [...new Set(files)];
  }
  const home = path.join(env.HOME ?? os.homedir(), '.kube', 'config');
  if (!fs.existsSync(home)) throw new UserError(`no kubeconfig: ${home} does not exist; pass --kubeconfig FILE or set KUBECONFIG`);
  return [home];
}

function firstByName<T extends { readonly name: string }>(lists: ReadonlyArray<ReadonlyArray<T>>): T[] {
  const byName = new Map<string, T>();
  for (const list of lists) for (const entry of list) if (!byName.has(entry.name)) byName.set(entry.name, entry);
  return [...byName.values()];
}

/** The files merged as clientcmd merges them (the first definition of each name wins), with the context chosen and checked. */
export function mergeKubeconfigs(files: readonly KubeconfigParts[], options: ConnectionOptions, where: string): KubeconfigParts {
  const merged = {
    clusters: firstByName(files.map((file) => file.clusters)),
    users: firstByName(files.map((file) => file.users)),
    contexts: firstByName(files.map((file) => file.contexts)),
  };
  const currentContext = options.context ?? files.map((file) => file.currentContext).find((name) => name) ?? '';
  if (!currentContext) throw new UsageError(`${where} has no current context: pass --context NAME (contexts: ${merged.contexts.map((c) => c.name).join(', ') || 'none'})`);
  const context = merged.contexts.find((c) => c.name === currentContext);
  if (!context) throw new UsageError(`context ${currentContext} is not in ${where}; it has: ${merged.contexts.map((c) => c.name).join(', ') || 'none'}`);
  if (!merged.clusters.some((c) => c.name === context.cluster)) throw new UsageError(`context ${currentContext} names cluster ${context.cluster ?? '(none)'}, which is not in ${where}`);
  return { ...merged, currentContext };
}
