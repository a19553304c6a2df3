/**
 * The control plane's binaries: found in KUBEBUILDER_ASSETS (the envtest convention) or built from
 * the Go modules pinned in tools/cluster/<component>/go.mod, and cached by version and build inputs
 * outside git (`$XDG_CACHE_HOME/habr-k8s` or `~/.cache/habr-k8s`).
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** One Go module of tools/cluster (or of another folder of tools/) and the binaries built from it. */
export interface Component {
  /** Folder under `root` holding the go.mod. */
  readonly folder: string;
  /** The folder that holds `folder`. @default tools/cluster */
  readonly root?: string;
  /** The module whose pinned version names the cache folder. */
  readonly module: string;
  /** Binary name → Go package. */
  readonly binaries: Readonly<Record<string, string>>;
  readonly ldflags: (version: string) => string;
}

/** The version stamps Kubernetes' own release build sets, so `--version` and kubectl's skew check are right. */
function kubernetesVersionFlags(version: string): string {
  const [major, minor] = version.replace(/^v/, '').split('.');
  const stamps = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) => [
    `-X ${pkg}.gitVersion=${version}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
  ]);
  return ['-s', '-w', ...stamps].join(' ');
}

const COMPONENTS: readonly Component[] = [
  {
    folder: 'etcd',
    module: 'go.etcd.io/etcd/server/v3',
    binaries: { etcd: 'go.etcd.io/etcd/server/v3' },
    ldflags: () => '-s -w',
  },
  {
    folder: 'kubernetes',
    module: 'k8s.io/kubernetes',
    binaries: {
      'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
      'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
      'kube-scheduler': 'k8s.io/kubernetes/cmd/kube-scheduler',
      kubectl: 'k8s.io/kubernetes/cmd/kubectl',
    },
    ldflags: kubernetesVersionFlags,
  },
  {
    folder: 'kwok',
    module: 'sigs.k8s.io/kwok',
    binaries: { kwok: 'sigs.k8s.io/kwok/cmd/kwok' },
    ldflags: () => '-s -w',
  },
];

/**
 * The helm CLI: not part of the control plane, so `ensureClusterBinaries` leaves it out; the Helm
 * tests ask for it with `ensureHelm`. Stamped like helm's own Makefile does, so `helm version` and
 * the default `.Capabilities.KubeVersion` of `helm template` are those of its pinned client-go.
 */
const HELM: Component = {
  folder: 'helm',
  module: 'helm.sh/helm/v3',
  binaries: { helm: 'helm.sh/helm/v3/cmd/helm' },
  ldflags: (version) => {
    const [, minor] = pinnedVersion('helm', 'k8s.io/client-go').replace(/^v/, '').split('.');
    const kube = `-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=${minor}`;
    const chartutil = `-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=${minor}`;
    return `-s -w -X helm.sh/helm/v3/internal/version.version=${version} -X helm.sh/helm/v3/internal/version.gitTreeState=clean ${kube} ${chartutil}`;
  },
};

export type BinaryName = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kubectl' | 'kwok';

/** Absolute paths of every binary the local cluster runs. */
export type ClusterBinaries = Readonly<Record<BinaryName, string>>;

/** Thrown when the binaries can be neither found nor built; its message is one line for the user. */
export class BinariesUnavailableError extends Error {}

const MODULES_ROOT = __dirname;

/** The version of `module` that `<root>/<folder>/go.mod` (tools/cluster by default) requires. */
export function pinnedVersion(folder: string, module: string, root: string = MODULES_ROOT): string {
  const goMod = fs.readFileSync(path.join(root, folder, 'go.mod'), 'utf8');
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(goMod);
  if (!match) throw new Error(`${path.relative(process.cwd(), path.join(root, folder, 'go.mod'))} does not require ${module}`);
  return match[1];
}

/** The Kubernetes release the cluster runs, e.g. `v1.34.4`. */
export function kubernetesVersion(): string {
  return pinnedVersion('kubernetes', 'k8s.io/kubernetes');
}

export function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'habr-k8s');
}

function goVersion(): string {
  const result = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', env: process.env });
  if (result.error || result.status !== 0) {
    throw new BinariesUnavailableError(
      'the cluster suite needs Go on PATH to build kube-apiserver, etcd, kwok and the rest from tools/cluster/*/go.mod, ' +
        'or KUBEBUILDER_ASSETS naming a folder that already holds them',
    );
  }
  return result.stdout.trim();
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Which binaries KUBEBUILDER_ASSETS provides (envtest's folder holds kube-apiserver, etcd and kubectl). */
function binariesFromAssets(): Partial<Record<BinaryName, string>> {
  const assets = process.env.KUBEBUILDER_ASSETS;
  if (!assets) return {};
  const found: Partial<Record<BinaryName, string>> = {};
  for (const component of COMPONENTS) {
    for (const name of Object.keys(component.binaries) as BinaryName[]) {
      const candidate = path.resolve(assets, name);
      if (isExecutable(candidate)) found[name] = candidate;
    }
  }
  return found;
}

/** Where the given binaries of one component are cached: a folder per version and build inputs. */
function buildTarget(component: Component, names: readonly string[]) {
  const root = component.root ?? MODULES_ROOT;
  const version = pinnedVersion(component.folder, component.module, root);
  const moduleDir = path.join(root, component.folder);
  const ldflags = component.ldflags(version);
  const key = crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(moduleDir, 'go.mod')))
    .update(fs.readFileSync(path.join(moduleDir, 'go.sum')))
    .update(`${goVersion()}\0${ldflags}\0${names.join(',')}`)
    .digest('hex')
    .slice(0, 12);
  const target = path.join(cacheRoot(), `${component.folder}-${version}-${key}`);
  const paths: Record<string, string> = Object.fromEntries(names.map((name) => [name, path.join(target, name)]));
  return { version, moduleDir, ldflags, target, paths };
}

/** Builds the given binaries of one component into its cache folder unless they are there already. */
export function ensureBuilt(component: Component, names: readonly string[], log: (line: string) => void): Record<string, string> {
  const { version, moduleDir, ldflags, target, paths } = buildTarget(component, names);
  if (names.every((name) => isExecutable(paths[name]))) return paths;

  fs.mkdirSync(cacheRoot(), { recursive: true });
  const staging = fs.mkdtempSync(path.join(cacheRoot(), `.build-${component.folder}-`));
  const started = Date.now();
  log(`building ${names.join(', ')} ${version} from ${path.relative(process.cwd(), moduleDir)}/go.mod (cached in ${target})`);
  const packages = names.map((name) => component.binaries[name]);
  // With one package `-o` names the file (etcd's package would otherwise build as `server`); with several, a folder.
  const output = packages.length === 1 ? path.join(staging, names[0]) : staging + path.sep;
  const result = spawnSync('go', ['build', '-trimpath', '-ldflags', ldflags, '-o', output, ...packages], {
    cwd: moduleDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    // No VCS stamp: the binaries must not depend on the state of this checkout.
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly -buildvcs=false' },
  });
  if (result.status !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new BinariesUnavailableError(`go build in ${path.relative(process.cwd(), moduleDir)} failed (exit ${result.status}); see the output above`);
  }
  try {
    fs.renameSync(staging, target);
  } catch (error) {
    // Another build of the same inputs finished first: its binaries are the same.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!names.every((name) => isExecutable(paths[name]))) throw error;
  }
  log(`built ${names.join(', ')} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return paths;
}

/**
 * Every binary of the local cluster: those in KUBEBUILDER_ASSETS are used as they are, the rest are
 * built (once per version and build inputs) with the Go toolchain.
 */
export function ensureClusterBinaries(log: (line: string) => void = (line) => console.error(line)): ClusterBinaries {
  const found = binariesFromAssets();
  const binaries: Partial<Record<BinaryName, string>> = { ...found };
  for (const component of COMPONENTS) {
    const missing = Object.keys(component.binaries).filter((name) => !found[name as BinaryName]);
    if (missing.length) Object.assign(binaries, ensureBuilt(component, missing, log));
  }
  return binaries as ClusterBinaries;
}

/**
 * The helm binary: `$HELM_BIN` when set (a helm the user already has), else built once from
 * tools/cluster/helm/go.mod and cached next to the control-plane binaries.
 */
export function ensureHelm(log: (line: string) => void = (line) => console.error(line)): string {
  const fromEnv = process.env.HELM_BIN;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new BinariesUnavailableError(`HELM_BIN=${fromEnv} is not an executable file`);
    return path.resolve(fromEnv);
  }
  return ensureBuilt(HELM, ['helm'], log).helm;
}

/**
 * The helm binary if there is one without building it: `$HELM_BIN`, else the one `ensureHelm`
 * built and cached; undefined when neither exists (or Go, which names the cache folder, is missing).
 */
export function availableHelm(): string | undefined {
  if (process.env.HELM_BIN) return ensureHelm();
  try {
    const cached = buildTarget(HELM, ['helm']).paths.helm;
    return isExecutable(cached) ? cached : undefined;
  } catch (error) {
    if (error instanceof BinariesUnavailableError) return undefined;
    throw error;
  }
}

/** The helm release the Helm tests run, e.g. `v3.22.0`. */
export function helmVersion(): string {
  return pinnedVersion(HELM.folder, HELM.module);
}
