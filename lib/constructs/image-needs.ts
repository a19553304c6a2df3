import { EnvValue, k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { imageRuntimeNeeds, ImageRuntimeNeeds } from '../manifest/image-needs';
import { memoryFlagsAboveLimit } from '../manifest/memory-flags';
import { parseQuantity } from '../manifest/quantity';
import { invalidProp } from './props';

/** What {@link imageSecurityDefaults} and {@link imageNeedsChecks} read of a pod template's props. @internal */
export interface ImageNeedsInput {
  readonly image: string;
  readonly security?: {
    readonly runAsUser?: number;
    readonly writablePaths?: readonly string[];
    readonly readOnlyRootFilesystem?: boolean;
  };
  readonly volumes?: readonly { readonly mountPath: string; readonly readOnly?: boolean }[];
}

/** The table's entry for the container's image (plain JavaScript may pass a non-string image, which `image` checks refuse). */
function needsOf(image: unknown): ImageRuntimeNeeds | undefined {
  return typeof image === 'string' ? imageRuntimeNeeds(image) : undefined;
}

/** Mount paths that make a path writable: claims and writable pod volumes (writable paths are counted by the caller). */
function writableMounts(props: ImageNeedsInput, claimMounts: readonly k8s.VolumeMount[] | undefined): string[] {
  return [...(claimMounts ?? []).map((m) => m.mountPath), ...(props.volumes ?? []).filter((v) => !v.readOnly).map((v) => v.mountPath)];
}

function isUnder(path: string, mounts: readonly string[]): boolean {
  return mounts.some((mount) => path === mount || path.startsWith(mount.endsWith('/') ? mount : `${mount}/`));
}

/**
 * The paths the image writes that no claim or volume is mounted at (its writable paths, and its
 * data path), for the construct to give each an emptyDir.
 */
function neededWritablePaths(needs: ImageRuntimeNeeds, mounts: readonly string[]): string[] {
  const paths = needs.writablePaths.filter((path) => !isUnder(path, mounts));
  if (needs.dataPath !== undefined && !isUnder(needs.dataPath, mounts) && !paths.includes(needs.dataPath)) paths.push(needs.dataPath);
  return paths;
}

/**
 * What the table of image needs fills in for a known image: its own user and group (and fsGroup,
 * so volumes are writable), and emptyDirs for the paths it writes (its data path too, when no
 * claim or volume is mounted there). The construct's defaults come before, the props after.
 * @internal
 */
export function imageSecurityDefaults(props: ImageNeedsInput, claimMounts: readonly k8s.VolumeMount[] | undefined) {
  const needs = needsOf(props.image);
  if (!needs) return {};
  const user = needs.uid === undefined ? {} : { runAsUser: needs.uid, runAsGroup: needs.gid, fsGroup: needs.gid };
  return { ...user, writablePaths: neededWritablePaths(needs, writableMounts(props, claimMounts)) };
}

function variantFix(needs: ImageRuntimeNeeds): string {
  const variant = needs.unprivilegedVariant;
  return variant ? `use ${variant.image} (built to run unprivileged; it listens on ${variant.port}, so set port: ${variant.port}), or ` : '';
}

/**
 * The checks of a known image under the restricted defaults: a writable root it needs, and paths it
 * writes that the props leave read-only. Each error names the image, what it needs and both fixes
 * (its unprivileged variant, where there is one, or the props). A port below 1024 it binds is no
 * error: the pod lowers `net.ipv4.ip_unprivileged_port_start` to it (pod-template.ts).
 * @internal
 */
export function imageNeedsChecks(scope: IConstruct, props: ImageNeedsInput, claimMounts: readonly k8s.VolumeMount[] | undefined): (() => unknown)[] {
  const needs = needsOf(props.image);
  if (!needs) return [];
  const image = props.image;
  const writableRoot = props.security?.readOnlyRootFilesystem === false;
  return [
    () => {
      if (needs.writableRoot === undefined || writableRoot) return;
      throw invalidProp(scope, 'image', image, `needs a writable root filesystem: ${needs.writableRoot}, which an emptyDir there would hide. `
        + `Fix: ${variantFix(needs)}set security.readOnlyRootFilesystem: false (it keeps running as uid ${needs.uid ?? 'the construct\'s'}, without capabilities)`);
    },
    () => {
      const given = props.security?.writablePaths;
      if (given === undefined || writableRoot) return;
      const mounts = [...given, ...writableMounts(props, claimMounts)];
      const missing = neededWritablePaths(needs, mounts);
      if (!missing.length) return;
      throw invalidProp(scope, 'security.writablePaths', given, `leaves ${missing.join(', ')} read-only, which image "${image}" writes: under a read-only root `
        + `filesystem it fails to start. Fix: ${variantFix(needs)}add ${missing.length > 1 ? 'them' : 'it'} to security.writablePaths (leave writablePaths out to get `
        + `the image's own: ${JSON.stringify(neededWritablePaths(needs, writableMounts(props, claimMounts)))}), or set security.readOnlyRootFilesystem: false`);
    },
  ];
}

/**
 * A JVM heap, Node old-space or Redis maxmemory flag in the container's command, args or
 * environment above its memory limit: the parsing is lib/manifest/memory-flags.ts, which the
 * `memory-flags` validation rule uses too.
 * @internal
 */
export function memoryFlagChecks(
  scope: IConstruct,
  container: { readonly command?: readonly string[]; readonly args?: readonly string[]; readonly env?: Readonly<Record<string, string | EnvValue>> },
  limit: string | undefined,
): (() => unknown)[] {
  const limitBytes = limit === undefined ? undefined : parseQuantity(limit);
  if (limit === undefined || limitBytes === undefined || limitBytes <= 0) return [];
  const env = Object.entries(container.env ?? {}).map(([name, value]) => [name, typeof value === 'string' ? value : value?.value] as const);
  return memoryFlagsAboveLimit({ command: container.command, args: container.args, env }, limit, limitBytes).map(({ flag, message }) => () => {
    const field = flag.where.field === 'env' ? `env["${flag.where.variable}"]` : flag.where.field;
    throw invalidProp(scope, field, flag.flag, message);
  });
}
