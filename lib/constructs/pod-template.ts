import { EnvValue, ImagePullPolicy, k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import {
  checkAbsolutePath, checkAll, checkDns1123Label, checkEnvName, checkInteger, checkNonEmpty, checkOneOf, checkPort,
  invalidProp,
} from './props';
import { intOrStringValue, quantityValue } from './json-form';
import { checkBoolean, checkDns1123Subdomain, checkLabelKey, checkLabels, checkLabelValue, checkPositiveQuantity } from './props';
import { AffinityProps, checkAffinity, toAffinity } from './affinity';
import { NAME_LABEL } from './labels';
import { isIpAddress } from '../manifest/cidr';
import { parseQuantity } from '../manifest/quantity';
import { exactCopy, mergedRecord } from './records';
import { imageNeedsChecks, imageSecurityDefaults, memoryFlagChecks } from './image-needs';

/** CPU and memory amounts, as Kubernetes quantities (`250m`, `512Mi`). @inline */
export interface ResourceList {
  /** CPU, e.g. `250m` or `1`. @default - none */
  readonly cpu?: string;
  /** Memory, e.g. `256Mi`. @default - none */
  readonly memory?: string;
}

/** Requests (what the scheduler reserves) and limits (the ceiling) of one container. */
export interface ResourceProps {
  /** What the scheduler reserves; HPA utilization is measured against it. @default - the construct's defaults */
  readonly requests?: ResourceList;
  /** The ceiling; a container above its memory limit is OOM-killed. @default - the construct's defaults */
  readonly limits?: ResourceList;
}

/** An HTTP GET probe. @inline */
export interface HttpGetProbeProps {
  /** Path to request, e.g. `/healthz`. */
  readonly path: string;
  /** Container port number or name. @default - the container's first port */
  readonly port?: number | string;
  /** Extra request headers, e.g. `{ 'X-Request-Reason': 'liveness-probe' }`. @default - none */
  readonly headers?: Readonly<Record<string, string>>;
  /** @default 'HTTP' */
  readonly scheme?: 'HTTP' | 'HTTPS';
}

/** A TCP connect probe. @inline */
export interface TcpSocketProbeProps {
  /** Container port number or name. @default - the container's first port */
  readonly port?: number | string;
}

/** A command run inside the container; exit code 0 is healthy. @inline */
export interface ExecProbeProps {
  /** The command and its arguments (no shell unless you call one). */
  readonly command: readonly string[];
}

/** A probe: exactly one handler, and Kubernetes' own timing fields. */
export interface ProbeProps {
  /** @default - no HTTP handler */
  readonly httpGet?: HttpGetProbeProps;
  /** @default - no TCP handler */
  readonly tcpSocket?: TcpSocketProbeProps;
  /** @default - no exec handler */
  readonly exec?: ExecProbeProps;
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 1 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
  /** Must be 1 for liveness and startup probes. @default 1 */
  readonly successThreshold?: number;
}

/** A Secret mounted read-only as files. @inline */
export interface SecretMount {
  /** Name of the Secret (it may be created outside the manifests). */
  readonly secretName: string;
  /** Directory the keys appear in as files, e.g. `/run/secrets/mongodb`. */
  readonly mountPath: string;
  /** Allow the pod to start without the Secret. @default false */
  readonly optional?: boolean;
}

/** A ConfigMap mounted read-only as files. @inline */
export interface ConfigMapMount {
  /** Name of the ConfigMap. */
  readonly configMapName: string;
  /** Directory the keys appear in as files. */
  readonly mountPath: string;
  /** Allow the pod to start without the ConfigMap. @default false */
  readonly optional?: boolean;
}

/**
 * The pod's and container's security settings. The defaults meet the Pod Security Standard
 * "restricted"; every field that weakens it has to be written out.
 */
export interface SecurityProps {
  /**
   * Non-zero uid the process runs as (images that default to root need one).
   * @default - the image's own user where the table of image needs knows it (101 for `nginx`, 999 for `postgres`, 70 for `postgres:*-alpine`), else the construct's default (10001 for app images)
   */
  readonly runAsUser?: number;
  /** Gid the process runs as. @default - the image's own group where the table knows it, else runAsUser */
  readonly runAsGroup?: number;
  /** Group that owns mounted volumes, so persistent data is writable. @default - the image's own group where the table knows it, else runAsGroup */
  readonly fsGroup?: number;
  /** Mount the image's filesystem read-only; writable paths get an emptyDir. @default true */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Directories the process writes to; each gets its own emptyDir. Given for an image the table of
   * image needs knows, it must cover the paths that image writes (or the construct refuses it).
   * @default - the paths the image writes where the table knows it (`nginx`: /var/cache/nginx, /run, /tmp; its data path too when no claim or volume is mounted there), else the construct's default (['/tmp'])
   */
  readonly writablePaths?: readonly string[];
  /** Mount the service account token (only workloads that call the Kubernetes API need it). @default false */
  readonly automountServiceAccountToken?: boolean;
  /** WEAKENS SECURITY: let the container run as root (uid 0). @default false */
  readonly allowRunAsRoot?: boolean;
}

/** What one container runs and how it is configured. */
export interface ContainerProps {
  /**
   * Image reference, e.g. `mongo:6.0.6` or `registry.example.com/app@sha256:…`. An official image
   * the table of image needs knows (`nginx`, `postgres`, … on Docker Hub) runs as its own user with
   * the paths it writes made writable, or is refused naming what it needs (a writable root) and the
   * fixes. A container port below 1024 (`nginx` on 80) lowers the pod's
   * `net.ipv4.ip_unprivileged_port_start` sysctl to it, so that it binds without root or capabilities.
   */
  readonly image: string;
  /** @default ImagePullPolicy.IF_NOT_PRESENT */
  readonly imagePullPolicy?: ImagePullPolicy;
  /** Replaces the image's ENTRYPOINT. @default - the image's */
  readonly command?: readonly string[];
  /** Replaces the image's CMD. @default - the image's */
  readonly args?: readonly string[];
  /** Environment variables: literal strings or cdk8s-plus `EnvValue`s (Secret key, ConfigMap key, field ref). @default - none */
  readonly env?: Readonly<Record<string, string | EnvValue>>;
  /** Requests and limits, merged over the construct's defaults. @default - the construct's defaults */
  readonly resources?: ResourceProps;
  /** Restarts the container when it fails. @default - the construct's default */
  readonly liveness?: ProbeProps;
  /** Takes the pod out of Service endpoints when it fails. @default - the construct's default */
  readonly readiness?: ProbeProps;
  /** Holds the other probes back until it succeeds. @default - none */
  readonly startup?: ProbeProps;
  /** Secrets mounted read-only as files. @default - none */
  readonly secretMounts?: readonly SecretMount[];
  /** ConfigMaps mounted read-only as files. @default - none */
  readonly configMapMounts?: readonly ConfigMapMount[];
  /** Security settings, merged over the restricted defaults. @default - restricted */
  readonly security?: SecurityProps;
}

/** Environment variables from every key of a ConfigMap or a Secret (`envFrom`): exactly one of `configMapName`, `secretName`. @inline */
export interface EnvFromProps {
  /** A ConfigMap whose keys all become variables. @default - not a ConfigMap */
  readonly configMapName?: string;
  /** A Secret whose keys all become variables. @default - not a Secret */
  readonly secretName?: string;
  /** Put in front of every key, e.g. `DB_`. @default - none */
  readonly prefix?: string;
  /** Allow the pod to start without the ConfigMap or Secret. @default false */
  readonly optional?: boolean;
}

/** A command run in the container before it is stopped (`lifecycle.preStop`), e.g. to drain connections. @inline */
export interface PreStopProps {
  /** The command and its arguments (no shell unless you call one), e.g. `['sleep', '5']`. */
  readonly command: readonly string[];
}

/** A container that runs before the app container (`initContainers`), or beside it as a native sidecar. */
export interface InitContainerProps {
  /** Container name: a DNS-1123 label, unique in the pod. */
  readonly name: string;
  /** Image reference. */
  readonly image: string;
  /** @default ImagePullPolicy.IF_NOT_PRESENT */
  readonly imagePullPolicy?: ImagePullPolicy;
  /** Replaces the image's ENTRYPOINT. @default - the image's */
  readonly command?: readonly string[];
  /** Replaces the image's CMD. @default - the image's */
  readonly args?: readonly string[];
  /** Environment variables, as for the app container. @default - none */
  readonly env?: Readonly<Record<string, string | EnvValue>>;
  /** Variables from whole ConfigMaps or Secrets. @default - none */
  readonly envFrom?: readonly EnvFromProps[];
  /** Requests and limits, merged over the construct's defaults. @default - the construct's defaults */
  readonly resources?: ResourceProps;
  /**
   * Keep it running beside the app container for the pod's whole life (a native sidecar:
   * `restartPolicy: Always`, on by default since Kubernetes 1.29, so synthesize with
   * `kubernetesVersion: '1.33'`: the 1.27 schema refuses the field), instead of running it to
   * completion before the app starts.
   * @default false
   */
  readonly sidecar?: boolean;
  /** Pod volumes (from `volumes`) to mount, by name, at a path of this container. @default - only the writable paths */
  readonly volumeMounts?: readonly InitContainerMount[];
}

/** A pod volume mounted into an init container. @inline */
export interface InitContainerMount {
  /** Name of a volume in `volumes`. */
  readonly volume: string;
  /** Where it is mounted. */
  readonly mountPath: string;
  /** @default false */
  readonly readOnly?: boolean;
}

/** A volume of the pod, mounted into the app container: exactly one of `emptyDir`, `persistentVolumeClaim`. @inline */
export interface PodVolumeProps {
  /** Volume name: a DNS-1123 label, unique in the pod. */
  readonly name: string;
  /** Where the app container mounts it. */
  readonly mountPath: string;
  /** Mount it read-only. @default false */
  readonly readOnly?: boolean;
  /** A scratch directory that lives as long as the pod. @default - not an emptyDir */
  readonly emptyDir?: {
    /** The most it may hold, e.g. `500Mi`; above it the pod is evicted. @default - no limit (bounded by the node) */
    readonly sizeLimit?: string;
    /** `Memory` for a tmpfs (counts against the memory limit). @default - the node's disk */
    readonly medium?: 'Memory';
  };
  /** An existing PersistentVolumeClaim, by name. @default - not a claim */
  readonly persistentVolumeClaim?: {
    readonly claimName: string;
    /** @default false */
    readonly readOnly?: boolean;
  };
}

/** A taint the pods tolerate. @inline */
export interface TolerationProps {
  /** Taint key; leave it out with `operator: 'Exists'` to tolerate every taint. @default - every key */
  readonly key?: string;
  /** @default 'Equal' */
  readonly operator?: 'Equal' | 'Exists';
  /** Taint value, for `Equal`. @default - none */
  readonly value?: string;
  /** @default - every effect */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /** For `NoExecute`: how long the pod stays on a node after the taint appears. @default - forever */
  readonly tolerationSeconds?: number;
}

/** Pod-level settings every workload construct shares. */
export interface PodProps extends AffinityProps {
  /** Containers run to completion, in order, before the app container starts, or kept running beside it (`sidecar: true`). @default - none */
  readonly initContainers?: readonly InitContainerProps[];
  /** Service account the pods run as (a DNS-1123 subdomain); its token is mounted only with `security.automountServiceAccountToken`. @default - the namespace's `default` */
  readonly serviceAccountName?: string;
  /** Secrets (of type `kubernetes.io/dockerconfigjson`) the kubelet pulls the images with. @default - none */
  readonly imagePullSecrets?: readonly string[];
  /** Node labels a node must have to run the pods. @default - any node */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Taints the pods tolerate. @default - none */
  readonly tolerations?: readonly TolerationProps[];
  /** PriorityClass of the pods (a DNS-1123 subdomain). @default - the cluster's default priority */
  readonly priorityClassName?: string;
  /** Seconds between SIGTERM and SIGKILL when a pod stops. @default 30 (Kubernetes' default) */
  readonly terminationGracePeriodSeconds?: number;
  /** Run in the app container before it is stopped. @default - none */
  readonly preStop?: PreStopProps;
  /** More volumes, each mounted into the app container: sized emptyDirs, existing claims. @default - none */
  readonly volumes?: readonly PodVolumeProps[];
  /** Environment variables of the app container from whole ConfigMaps or Secrets. @default - none */
  readonly envFrom?: readonly EnvFromProps[];
  /** Entries of the pods' /etc/hosts (compose's `extra_hosts`): host names that resolve to fixed addresses. @default - none */
  readonly hostAliases?: readonly HostAliasProps[];
}

/** Host names that resolve to one address in the pods' /etc/hosts. @inline */
export interface HostAliasProps {
  /** An IPv4 or IPv6 address. */
  readonly ip: string;
  /** The names that resolve to it (DNS-1123 subdomains). */
  readonly hostnames: readonly string[];
}

/** The container and pod props of a workload construct. */
export interface PodTemplateProps extends ContainerProps, PodProps {}

/** A port the container listens on. @inline */
export interface ContainerPort {
  readonly name: string;
  readonly port: number;
}

/** Defaults a construct supplies for the fields its users leave out. @inline */
export interface ContainerDefaults {
  readonly resources: ResourceProps;
  readonly security: SecurityProps;
  /** Liveness probe when the user gives none. @default - no liveness probe */
  readonly liveness?: ProbeProps;
  /** Readiness probe when the user gives none. @default - no readiness probe */
  readonly readiness?: ProbeProps;
}

/** Everything needed to build one single-container pod template. */
export interface PodTemplateInput {
  readonly containerName: string;
  readonly container: PodTemplateProps;
  readonly defaults: ContainerDefaults;
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations on the pods. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ports: readonly ContainerPort[];
  /** Mounts of volumes defined elsewhere (volumeClaimTemplates). @default - none */
  readonly claimMounts?: readonly k8s.VolumeMount[];
  /** The pod's restartPolicy. @default - Kubernetes' ('Always') */
  readonly restartPolicy?: string;
  /** How the pods spread over the cluster's topology. @default - none */
  readonly topologySpreadConstraints?: k8s.TopologySpreadConstraint[];
}

export const DEFAULT_APP_UID = 10001;

/** Defaults for application containers: small, bounded, non-root, read-only root with a writable /tmp. */
export const APP_CONTAINER_DEFAULTS: ContainerDefaults = {
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  security: { writablePaths: ['/tmp'] },
};

const PROBE_HANDLERS = ['httpGet', 'tcpSocket', 'exec'] as const;
const IMAGE_PULL_POLICIES = [ImagePullPolicy.ALWAYS, ImagePullPolicy.IF_NOT_PRESENT, ImagePullPolicy.NEVER] as const;
const HTTP_SCHEMES = ['HTTP', 'HTTPS'] as const;
const TOLERATION_OPERATORS = ['Equal', 'Exists'] as const;
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
/** An HTTP header name: an RFC 7230 token. */
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** What {@link checkPodTemplate} needs of a {@link PodTemplateInput}. */
export type PodTemplateChecks = Pick<PodTemplateInput, 'container' | 'defaults' | 'ports' | 'claimMounts'> & {
  /** The app container's name, which init containers must not take. @default - not checked */
  readonly containerName?: string;
};

/**
 * Checks every container prop of a pod template and throws one {@link PropsError} with all the
 * problems; constructs call it among their own checks, so that one error lists everything.
 */
export function checkPodTemplate(scope: IConstruct, input: PodTemplateChecks): void {
  const { container: props, defaults } = input;
  const security = containerSecurity(props, defaults, input.claimMounts);
  const resources = mergeResources(defaults.resources, props.resources);
  checkAll(scope, [
    ...containerChecks(scope, props, input.ports),
    () => checkSecurity(scope, security),
    () => checkResources(scope, resources),
    () => podVolumes(scope, props, security, input.claimMounts),
    ...imageNeedsChecks(scope, props, input.claimMounts),
    ...memoryFlagChecks(scope, props, resources.limits?.memory),
    ...podChecks(scope, props, defaults, security, input.containerName),
  ]);
}

/**
 * The security settings the container runs with: the construct's defaults, then what the table
 * of image needs knows of its image (its user, the paths it writes), then the props.
 */
function containerSecurity(props: PodTemplateProps, defaults: ContainerDefaults, claimMounts: readonly k8s.VolumeMount[] | undefined): SecurityProps {
  return { ...defaults.security, ...imageSecurityDefaults(props, claimMounts), ...props.security };
}

/**
 * Builds the pod template of props that {@link checkPodTemplate} accepted: every caller runs it
 * with the same input (container, defaults, ports, claim mounts, container name) among its own
 * checks, before building anything, and this does not check them again.
 */
export function buildPodTemplate(scope: IConstruct, input: PodTemplateInput): k8s.PodTemplateSpec {
  const { container: props, defaults } = input;
  const security = containerSecurity(props, defaults, input.claimMounts);
  const resources = mergeResources(defaults.resources, props.resources);

  const uid = security.runAsUser ?? DEFAULT_APP_UID;
  const gid = security.runAsGroup ?? uid;
  const readOnlyRoot = security.readOnlyRootFilesystem ?? true;
  const { volumes, mounts, writableMounts } = podVolumes(scope, props, security, input.claimMounts);

  const liveness = props.liveness ?? defaults.liveness;
  const readiness = props.readiness ?? defaults.readiness;
  const container: k8s.Container = {
    name: input.containerName,
    image: props.image,
    imagePullPolicy: props.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT,
    command: props.command ? [...props.command] : undefined,
    args: props.args ? [...props.args] : undefined,
    ports: input.ports.length ? input.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })) : undefined,
    env: toEnvVars(props.env),
    envFrom: toEnvFrom(props.envFrom),
    resources: toResourceRequirements(resources),
    livenessProbe: liveness && toProbe(scope, 'liveness', liveness, input.ports),
    readinessProbe: readiness && toProbe(scope, 'readiness', readiness, input.ports),
    startupProbe: props.startup && toProbe(scope, 'startup', props.startup, input.ports),
    lifecycle: props.preStop && { preStop: { exec: { command: [...props.preStop.command] } } },
    securityContext: restrictedContainerContext(readOnlyRoot),
    volumeMounts: mounts.length ? exactCopy(mounts) : undefined,
  };
  const initContainers = (props.initContainers ?? []).map((init) => toInitContainer(init, defaults, readOnlyRoot, writableMounts));

  return {
    metadata: { labels: mergedRecord(input.labels), annotations: nonEmpty(input.annotations) },
    spec: {
      automountServiceAccountToken: security.automountServiceAccountToken ?? false,
      securityContext: {
        runAsNonRoot: !security.allowRunAsRoot,
        runAsUser: uid,
        runAsGroup: gid,
        fsGroup: security.fsGroup ?? gid,
        seccompProfile: RUNTIME_DEFAULT_SECCOMP,
        sysctls: lowPortSysctls(input.ports),
      },
      initContainers: initContainers.length ? initContainers : undefined,
      containers: [container],
      volumes: volumes.length ? exactCopy(volumes) : undefined,
      restartPolicy: input.restartPolicy,
      topologySpreadConstraints: input.topologySpreadConstraints,
      serviceAccountName: props.serviceAccountName,
      imagePullSecrets: props.imagePullSecrets?.map((name) => ({ name })),
      nodeSelector: nonEmpty(props.nodeSelector),
      tolerations: props.tolerations?.map((t) => ({ ...t })),
      affinity: toAffinity(props, { [NAME_LABEL]: input.labels[NAME_LABEL] }),
      priorityClassName: props.priorityClassName,
      terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
      hostAliases: props.hostAliases?.map((alias) => ({ ip: alias.ip, hostnames: [...alias.hostnames] })),
    },
  };
}

/**
 * The pod's volumes and the app container's mounts: volume claims, writable paths, Secrets,
 * ConfigMaps and `volumes`; init containers get the writable paths too, so that they run with the
 * same read-only root.
 */
function podVolumes(scope: IConstruct, props: PodTemplateProps, security: SecurityProps, claimMounts: readonly k8s.VolumeMount[] | undefined) {
  const writablePaths = security.writablePaths ?? ['/tmp'];
  const mounts: k8s.VolumeMount[] = [...(claimMounts ?? [])];
  const volumes: k8s.Volume[] = [];
  const writableMounts: k8s.VolumeMount[] = [];
  for (const path of writablePaths) {
    const name = volumeNameForPath(scope, path);
    volumes.push({ name, emptyDir: EMPTY_DIR });
    writableMounts.push({ name, mountPath: path });
  }
  mounts.push(...writableMounts);
  for (const mount of props.secretMounts ?? []) {
    const name = `${mount.secretName}-volume`;
    checkDns1123Label(scope, 'secretMounts[].secretName (as a volume name with "-volume")', name);
    volumes.push({ name, secret: { secretName: mount.secretName, optional: mount.optional ?? false } });
    mounts.push({ name, mountPath: mount.mountPath, readOnly: true });
  }
  for (const mount of props.configMapMounts ?? []) {
    const name = `${mount.configMapName}-volume`;
    checkDns1123Label(scope, 'configMapMounts[].configMapName (as a volume name with "-volume")', name);
    volumes.push({ name, configMap: { name: mount.configMapName, optional: mount.optional ?? false } });
    mounts.push({ name, mountPath: mount.mountPath, readOnly: true });
  }
  for (const volume of (props as PodProps).volumes ?? []) {
    volumes.push(toPodVolume(scope, volume));
    mounts.push({ name: volume.name, mountPath: volume.mountPath, readOnly: volume.readOnly || undefined });
  }
  checkUniqueMountPaths(scope, mounts);
  checkUniqueVolumeNames(scope, [...(claimMounts ?? []).map((m) => m.name), ...volumes.map((v) => v.name)]);
  return { volumes, mounts, writableMounts };
}

/** The restricted container securityContext, the same for the app container and its init containers. */
function restrictedContainerContext(readOnlyRoot: boolean): k8s.SecurityContext {
  return readOnlyRoot ? RESTRICTED_READ_ONLY_CONTEXT : RESTRICTED_WRITABLE_CONTEXT;
}

/*
 * Sub-objects every pod template has, shared rather than copied into each: frozen, since nothing
 * may change them (objects are rendered from copies, see JsonFormObject).
 */
const RUNTIME_DEFAULT_SECCOMP: k8s.SeccompProfile = Object.freeze({ type: 'RuntimeDefault' });

/** The first port an unprivileged process may bind, per network namespace (so per pod). */
export const UNPRIVILEGED_PORT_START_SYSCTL = 'net.ipv4.ip_unprivileged_port_start';

/**
 * Lets the pod's processes bind its ports below 1024 without any capability: the restricted
 * defaults drop every capability, NET_BIND_SERVICE included, so without it no process (root or not)
 * may bind port 80. The sysctl is lowered to the lowest such port, and only when there is one.
 * It is namespaced (it changes the pod's own network namespace, never the node's: the pods never
 * use hostNetwork), a "safe" sysctl the kubelet allows by default since Kubernetes 1.22
 * (https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/sysctl/safe_sysctls.go,
 * https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/), and one the baseline Pod
 * Security Standard allows, and so the restricted one
 * (https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/pod-security-admission/policy/check_sysctls.go:
 * `sysctls_allowed_1_0` lists it).
 */
function lowPortSysctls(ports: readonly ContainerPort[]): k8s.Sysctl[] | undefined {
  const low = ports.map((p) => p.port).filter((port) => port < 1024);
  return low.length ? [{ name: UNPRIVILEGED_PORT_START_SYSCTL, value: String(Math.min(...low)) }] : undefined;
}
const EMPTY_DIR: k8s.EmptyDirVolumeSource = Object.freeze({});
const RESTRICTED_READ_ONLY_CONTEXT = restrictedContext(true);
const RESTRICTED_WRITABLE_CONTEXT = restrictedContext(false);

function restrictedContext(readOnlyRoot: boolean): k8s.SecurityContext {
  return Object.freeze({
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: readOnlyRoot,
    capabilities: Object.freeze({ drop: Object.freeze(['ALL']) as string[] }),
  });
}

function toInitContainer(init: InitContainerProps, defaults: ContainerDefaults, readOnlyRoot: boolean, writableMounts: readonly k8s.VolumeMount[]): k8s.Container {
  const mounts = [
    ...writableMounts.map((m) => ({ ...m })),
    ...(init.volumeMounts ?? []).map((m) => ({ name: m.volume, mountPath: m.mountPath, readOnly: m.readOnly || undefined })),
  ];
  // `restartPolicy` on a container is newer than the Kubernetes 1.27 types (it came in 1.28).
  const restartPolicy = init.sidecar ? { restartPolicy: 'Always' } : {};
  return {
    name: init.name,
    image: init.image,
    imagePullPolicy: init.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT,
    command: init.command ? [...init.command] : undefined,
    args: init.args ? [...init.args] : undefined,
    env: toEnvVars(init.env),
    envFrom: toEnvFrom(init.envFrom),
    resources: toResourceRequirements(mergeResources(defaults.resources, init.resources)),
    ...restartPolicy,
    securityContext: restrictedContainerContext(readOnlyRoot),
    volumeMounts: mounts.length ? mounts : undefined,
  } as k8s.Container;
}

function toPodVolume(scope: IConstruct, volume: PodVolumeProps): k8s.Volume {
  const sources = (['emptyDir', 'persistentVolumeClaim'] as const).filter((source) => volume[source] !== undefined);
  if (sources.length !== 1) throw invalidProp(scope, `volumes["${volume.name}"]`, sources, 'needs exactly one source: emptyDir or persistentVolumeClaim');
  if (volume.emptyDir) {
    const { sizeLimit, medium } = volume.emptyDir;
    return { name: volume.name, emptyDir: { medium, sizeLimit: sizeLimit === undefined ? undefined : quantityValue(sizeLimit) } };
  }
  const claim = volume.persistentVolumeClaim!;
  return { name: volume.name, persistentVolumeClaim: { claimName: claim.claimName, readOnly: claim.readOnly || undefined } };
}

/** The requests and limits a container ends up with: the construct's defaults, overridden field by field. */
export function mergeResources(defaults: ResourceProps, overrides: ResourceProps | undefined): ResourceProps {
  return {
    requests: mergedRecord(defaults.requests, overrides?.requests),
    limits: mergedRecord(defaults.limits, overrides?.limits),
  };
}

function nonEmpty<T extends object>(value: T | undefined): T | undefined {
  return value && Object.keys(value).length ? mergedRecord(value) : undefined;
}

function volumeNameForPath(scope: IConstruct, path: string): string {
  checkAbsolutePath(scope, 'security.writablePaths[]', path);
  const name = path.split('/').filter(Boolean).join('-').toLowerCase().replace(/[^a-z0-9-]/g, '-') || 'root';
  return checkDns1123Label(scope, `security.writablePaths[] ("${path}" as a volume name)`, name);
}

/** One check per container prop (per entry, for lists and maps), for {@link checkAll}. */
function containerChecks(scope: IConstruct, props: ContainerProps, ports: readonly ContainerPort[]): (() => unknown)[] {
  return [
    () => {
      checkNonEmpty(scope, 'image', props.image);
      if (/\s/.test(props.image)) throw invalidProp(scope, 'image', props.image, 'must be an image reference without whitespace');
    },
    () => props.imagePullPolicy !== undefined && checkOneOf(scope, 'imagePullPolicy', props.imagePullPolicy, IMAGE_PULL_POLICIES),
    () => checkStringList(scope, 'command', props.command, 'must name a command; leave `command` out to keep the image\'s ENTRYPOINT'),
    () => checkStringList(scope, 'args', props.args),
    ...Object.entries(props.env ?? {}).map(([name, value]) => () => {
      checkEnvName(scope, 'env key', name);
      checkEnvValue(scope, name, value);
    }),
    ...(props.secretMounts ?? []).flatMap((mount) => [
      () => checkDns1123Label(scope, 'secretMounts[].secretName', mount.secretName),
      () => checkAbsolutePath(scope, 'secretMounts[].mountPath', mount.mountPath),
    ]),
    ...(props.configMapMounts ?? []).flatMap((mount) => [
      () => checkDns1123Label(scope, 'configMapMounts[].configMapName', mount.configMapName),
      () => checkAbsolutePath(scope, 'configMapMounts[].mountPath', mount.mountPath),
    ]),
    ...([['liveness', props.liveness], ['readiness', props.readiness], ['startup', props.startup]] as const)
      .map(([field, probe]) => () => probe && checkProbe(scope, field, probe, ports)),
  ];
}

/** One check per pod-level prop (per entry, for lists), for {@link checkAll}. */
function podChecks(
  scope: IConstruct, props: PodTemplateProps, defaults: ContainerDefaults, security: SecurityProps, containerName: string | undefined,
): (() => unknown)[] {
  const initNames = (props.initContainers ?? []).map((init) => init.name);
  const volumeNames = new Set((props.volumes ?? []).map((v) => v.name));
  const writablePaths = security.writablePaths ?? ['/tmp'];
  return [
    ...(props.initContainers ?? []).map((init, i) => () => checkInitContainer(scope, `initContainers[${i}]`, init, defaults, volumeNames, writablePaths)),
    () => {
      const taken = new Set(containerName === undefined ? [] : [containerName]);
      for (const name of initNames) {
        if (taken.has(name)) throw invalidProp(scope, 'initContainers[].name', name, 'must differ from the names of the other containers of the pod');
        taken.add(name);
      }
    },
    () => props.serviceAccountName !== undefined && checkDns1123Subdomain(scope, 'serviceAccountName', props.serviceAccountName),
    ...(props.imagePullSecrets ?? []).map((name, i) => () => checkDns1123Subdomain(scope, `imagePullSecrets[${i}]`, name)),
    () => checkLabels(scope, 'nodeSelector', props.nodeSelector),
    ...(props.tolerations ?? []).map((toleration, i) => () => checkToleration(scope, `tolerations[${i}]`, toleration)),
    () => checkAffinity(scope, props),
    () => props.priorityClassName !== undefined && checkDns1123Subdomain(scope, 'priorityClassName', props.priorityClassName),
    () => props.terminationGracePeriodSeconds !== undefined
      && checkInteger(scope, 'terminationGracePeriodSeconds', props.terminationGracePeriodSeconds, 0),
    () => props.preStop !== undefined
      && checkStringList(scope, 'preStop.command', props.preStop.command, 'must name a command; leave `preStop` out for none'),
    ...(props.volumes ?? []).map((volume, i) => () => checkPodVolume(scope, `volumes[${i}]`, volume)),
    ...envFromChecks(scope, 'envFrom', props.envFrom),
    ...(props.hostAliases ?? []).flatMap((alias, i) => [
      () => {
        if (typeof alias.ip !== 'string' || !isIpAddress(alias.ip)) throw invalidProp(scope, `hostAliases[${i}].ip`, alias.ip, 'must be an IPv4 or IPv6 address');
      },
      () => {
        if (!Array.isArray(alias.hostnames) || !alias.hostnames.length) throw invalidProp(scope, `hostAliases[${i}].hostnames`, alias.hostnames, 'must list at least one host name');
      },
      ...(Array.isArray(alias.hostnames) ? alias.hostnames : []).map((hostname, j) => () => checkDns1123Subdomain(scope, `hostAliases[${i}].hostnames[${j}]`, hostname)),
    ]),
  ];
}

function checkInitContainer(
  scope: IConstruct, field: string, init: InitContainerProps, defaults: ContainerDefaults, volumeNames: ReadonlySet<string>, writablePaths: readonly string[],
): void {
  checkAll(scope, [
    () => checkDns1123Label(scope, `${field}.name`, init.name),
    () => {
      checkNonEmpty(scope, `${field}.image`, init.image);
      if (/\s/.test(init.image)) throw invalidProp(scope, `${field}.image`, init.image, 'must be an image reference without whitespace');
    },
    () => init.imagePullPolicy !== undefined && checkOneOf(scope, `${field}.imagePullPolicy`, init.imagePullPolicy, IMAGE_PULL_POLICIES),
    () => checkStringList(scope, `${field}.command`, init.command, 'must name a command; leave `command` out to keep the image\'s ENTRYPOINT'),
    () => checkStringList(scope, `${field}.args`, init.args),
    ...Object.entries(init.env ?? {}).map(([name, value]) => () => {
      checkEnvName(scope, `${field}.env key`, name);
      checkEnvValue(scope, name, value, `${field}.env`);
    }),
    ...envFromChecks(scope, `${field}.envFrom`, init.envFrom),
    () => checkResources(scope, mergeResources(defaults.resources, init.resources), `${field}.`),
    () => checkBoolean(scope, `${field}.sidecar`, init.sidecar),
    ...(init.volumeMounts ?? []).map((mount) => () => {
      if (!volumeNames.has(mount.volume)) {
        throw invalidProp(scope, `${field}.volumeMounts[].volume`, mount.volume, `must name a volume of \`volumes\` (${[...volumeNames].join(', ') || 'none'})`);
      }
      checkAbsolutePath(scope, `${field}.volumeMounts[].mountPath`, mount.mountPath);
      if (writablePaths.includes(mount.mountPath)) {
        throw invalidProp(scope, `${field}.volumeMounts[].mountPath`, mount.mountPath, 'is a writable path, which init containers mount already: each path may be mounted once');
      }
    }),
  ]);
}

function envFromChecks(scope: IConstruct, field: string, envFrom: readonly EnvFromProps[] | undefined): (() => unknown)[] {
  return (envFrom ?? []).map((source, i) => () => {
    const sources = (['configMapName', 'secretName'] as const).filter((key) => source[key] !== undefined);
    if (sources.length !== 1) throw invalidProp(scope, `${field}[${i}]`, sources, 'needs exactly one of configMapName and secretName');
    checkDns1123Subdomain(scope, `${field}[${i}].${sources[0]}`, source[sources[0]]!);
    if (source.prefix !== undefined) checkEnvName(scope, `${field}[${i}].prefix`, source.prefix);
  });
}

function checkToleration(scope: IConstruct, field: string, toleration: TolerationProps): void {
  const operator = toleration.operator ?? 'Equal';
  checkAll(scope, [
    () => checkOneOf(scope, `${field}.operator`, operator, TOLERATION_OPERATORS),
    () => toleration.effect !== undefined && checkOneOf(scope, `${field}.effect`, toleration.effect, TAINT_EFFECTS),
    () => toleration.key !== undefined && checkLabelKey(scope, `${field}.key`, toleration.key),
    () => {
      if (toleration.key === undefined && operator !== 'Exists') {
        throw invalidProp(scope, `${field}.key`, toleration.key, 'is needed unless operator is "Exists" (which, without a key, tolerates every taint)');
      }
    },
    () => {
      if (operator === 'Exists' && toleration.value !== undefined) throw invalidProp(scope, `${field}.value`, toleration.value, 'must be left out with operator "Exists"');
      if (toleration.value !== undefined) checkLabelValue(scope, `${field}.value`, toleration.value);
    },
    () => {
      if (toleration.tolerationSeconds === undefined) return;
      if (toleration.effect !== 'NoExecute') {
        throw invalidProp(scope, `${field}.tolerationSeconds`, toleration.tolerationSeconds, 'only applies to effect "NoExecute"');
      }
      checkInteger(scope, `${field}.tolerationSeconds`, toleration.tolerationSeconds, 0);
    },
  ]);
}

function checkPodVolume(scope: IConstruct, field: string, volume: PodVolumeProps): void {
  checkAll(scope, [
    () => checkDns1123Label(scope, `${field}.name`, volume.name),
    () => checkAbsolutePath(scope, `${field}.mountPath`, volume.mountPath),
    () => volume.emptyDir?.sizeLimit !== undefined && checkPositiveQuantity(scope, `${field}.emptyDir.sizeLimit`, volume.emptyDir.sizeLimit, '"500Mi"'),
    () => volume.emptyDir?.medium !== undefined && checkOneOf(scope, `${field}.emptyDir.medium`, volume.emptyDir.medium, ['Memory'] as const),
    () => volume.persistentVolumeClaim !== undefined
      && checkDns1123Subdomain(scope, `${field}.persistentVolumeClaim.claimName`, volume.persistentVolumeClaim.claimName),
  ]);
}

function checkSecurity(scope: IConstruct, security: SecurityProps): void {
  checkAll(scope, [
    ...(['runAsUser', 'runAsGroup', 'fsGroup'] as const).map((field) => () => {
      const value = security[field];
      if (value !== undefined) checkInteger(scope, `security.${field}`, value, 0, 2147483647);
    }),
    () => {
      if (security.runAsUser === 0 && !security.allowRunAsRoot) {
        throw invalidProp(scope, 'security.runAsUser', 0, 'must be a non-zero uid; running as root needs the explicit `allowRunAsRoot: true`');
      }
    },
  ]);
}

/** Requests and limits; `prefix` names the container for init containers (`initContainers[0].`). */
function checkResources(scope: IConstruct, resources: ResourceProps, prefix = ''): void {
  const quantities = (['requests', 'limits'] as const).flatMap((kind) => Object.entries(resources[kind] ?? {}).map(([resource, quantity]) => () => {
    if (quantity === undefined) return;
    const value = parseQuantity(quantity);
    if (value === undefined || value < 0) {
      throw invalidProp(scope, `${prefix}resources.${kind}.${resource}`, quantity, 'must be a non-negative Kubernetes quantity such as "250m", "1", "512Mi" or "1Gi"');
    }
  }));
  checkAll(scope, quantities);
  checkAll(scope, (['cpu', 'memory'] as const).map((resource) => () => {
    const request = resources.requests?.[resource];
    const limit = resources.limits?.[resource];
    if (request !== undefined && limit !== undefined && parseQuantity(request)! > parseQuantity(limit)!) {
      throw invalidProp(scope, `${prefix}resources.requests.${resource}`, request, `must not exceed resources.limits.${resource} (${limit}); the API server rejects requests above limits`);
    }
  }));
}

/** Strings only; `emptyMeans` refuses an empty list and says why. */
function checkStringList(scope: IConstruct, field: string, list: readonly string[] | undefined, emptyMeans?: string): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) throw invalidProp(scope, field, list, 'must be a list of strings');
  if (emptyMeans !== undefined && list.length === 0) throw invalidProp(scope, field, list, emptyMeans);
  const bad = list.findIndex((item) => typeof item !== 'string');
  if (bad >= 0) throw invalidProp(scope, `${field}[${bad}]`, list[bad], 'must be a string (quote numbers)');
}

/** A literal string or an `EnvValue` (which carries `value` or `valueFrom`); plain JS may pass anything. */
function checkEnvValue(scope: IConstruct, name: string, value: unknown, field = 'env'): void {
  if (typeof value === 'string') return;
  const reference = value as Partial<EnvValue> | null;
  if (typeof reference === 'object' && reference !== null && (reference.value !== undefined || reference.valueFrom !== undefined)) return;
  throw invalidProp(scope, `${field}["${name}"]`, value, 'must be a string or an EnvValue (quote numbers and booleans)');
}

function checkUniqueVolumeNames(scope: IConstruct, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw invalidProp(scope, 'volume name', name, 'each volume of the pod needs its own name: mount each Secret and ConfigMap once, and keep '
        + 'writable paths and volume claims apart ("/var/tmp" and "/var-tmp" both become "var-tmp")');
    }
    seen.add(name);
  }
}

function checkUniqueMountPaths(scope: IConstruct, mounts: readonly k8s.VolumeMount[]): void {
  const seen = new Set<string>();
  for (const mount of mounts) {
    if (seen.has(mount.mountPath)) {
      throw invalidProp(scope, 'mount path', mount.mountPath, 'each path may be mounted once (writable paths, Secret, ConfigMap and volume mounts must not overlap)');
    }
    seen.add(mount.mountPath);
  }
}

function checkProbe(scope: IConstruct, field: string, probe: ProbeProps, ports: readonly ContainerPort[]): void {
  const handlers = PROBE_HANDLERS.filter((h) => probe[h] !== undefined);
  if (handlers.length !== 1) {
    throw invalidProp(scope, field, handlers, 'a probe needs exactly one handler: httpGet, tcpSocket or exec');
  }
  const timings = [
    ['initialDelaySeconds', 0], ['periodSeconds', 1], ['timeoutSeconds', 1], ['failureThreshold', 1], ['successThreshold', 1],
  ] as const;
  for (const [timing, min] of timings) {
    const value = probe[timing];
    if (value !== undefined) checkInteger(scope, `${field}.${timing}`, value, min);
  }
  if (field !== 'readiness' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    throw invalidProp(scope, `${field}.successThreshold`, probe.successThreshold, `must be 1 for ${field} probes`);
  }
  if (probe.httpGet) checkHttpGet(scope, `${field}.httpGet`, probe.httpGet);
  if (probe.exec) checkStringList(scope, `${field}.exec.command`, probe.exec.command, 'must name a command');
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
  if (probe.exec === undefined) resolveProbePort(scope, field, port, ports);
}

function checkHttpGet(scope: IConstruct, field: string, httpGet: HttpGetProbeProps): void {
  if (typeof httpGet.path !== 'string' || !httpGet.path.startsWith('/')) {
    throw invalidProp(scope, `${field}.path`, httpGet.path, 'must start with "/"');
  }
  if (httpGet.scheme !== undefined) checkOneOf(scope, `${field}.scheme`, httpGet.scheme, HTTP_SCHEMES);
  for (const [name, value] of Object.entries(httpGet.headers ?? {})) {
    if (!HTTP_TOKEN.test(name)) {
      throw invalidProp(scope, `${field}.headers key`, name, 'must be an HTTP header name (RFC 7230 token): letters, digits and !#$%&\'*+-.^_`|~');
    }
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
      throw invalidProp(scope, `${field}.headers["${name}"]`, value, 'must be a string without line breaks');
    }
  }
}

function resolveProbePort(scope: IConstruct, field: string, port: number | string | undefined, ports: readonly ContainerPort[]): number | string {
  if (port === undefined) {
    if (!ports.length) throw invalidProp(scope, `${field} port`, port, 'the container declares no port: give the probe a port or use an exec probe');
    return ports[0].name;
  }
  const declared = ports.find((p) => p.name === port || p.port === port);
  if (!declared) {
    if (typeof port === 'number') checkPort(scope, `${field} port`, port);
    throw invalidProp(scope, `${field} port`, port, `must be a port the container declares (${ports.map((p) => `${p.name}=${p.port}`).join(', ') || 'none'})`);
  }
  return declared.name;
}

function toProbe(scope: IConstruct, field: string, probe: ProbeProps, ports: readonly ContainerPort[]): k8s.Probe {
  const timings = {
    initialDelaySeconds: probe.initialDelaySeconds,
    periodSeconds: probe.periodSeconds,
    timeoutSeconds: probe.timeoutSeconds,
    failureThreshold: probe.failureThreshold,
    successThreshold: probe.successThreshold,
  };
  if (probe.exec) return { exec: { command: [...probe.exec.command] }, ...timings };
  const port = intOrStringValue(resolveProbePort(scope, field, probe.httpGet?.port ?? probe.tcpSocket?.port, ports) as string);
  if (probe.tcpSocket) return { tcpSocket: { port }, ...timings };
  const http = probe.httpGet!;
  const httpHeaders = Object.entries(http.headers ?? {}).map(([name, value]) => ({ name, value }));
  return {
    httpGet: { path: http.path, port, scheme: http.scheme, httpHeaders: httpHeaders.length ? httpHeaders : undefined },
    ...timings,
  };
}

function toEnvVars(env: ContainerProps['env']): k8s.EnvVar[] | undefined {
  const entries = Object.entries(env ?? {});
  if (!entries.length) return undefined;
  // EnvValue sources come from cdk8s-plus factories, which put user input (names, keys, a Lazy)
  // only in leaf fields; the conversion passes those through, so converting here is exact.
  return entries.map(([name, value]) =>
    typeof value === 'string' ? { name, value } : { name, value: value.value, valueFrom: value.valueFrom && (k8s.toJson_EnvVarSource(value.valueFrom) as k8s.EnvVarSource) });
}

function toEnvFrom(envFrom: readonly EnvFromProps[] | undefined): k8s.EnvFromSource[] | undefined {
  if (!envFrom?.length) return undefined;
  return envFrom.map((source) => ({
    prefix: source.prefix,
    configMapRef: source.configMapName === undefined ? undefined : { name: source.configMapName, optional: source.optional },
    secretRef: source.secretName === undefined ? undefined : { name: source.secretName, optional: source.optional },
  }));
}

function toResourceRequirements(resources: ResourceProps): k8s.ResourceRequirements {
  const toList = (list: ResourceList | undefined) => {
    const entries = Object.entries(list ?? {}).filter(([, q]) => q !== undefined);
    return entries.length ? Object.fromEntries(entries.map(([k, q]) => [k, quantityValue(q as string)])) : undefined;
  };
  return { requests: toList(resources.requests), limits: toList(resources.limits) };
}
