import { EnvValue, ImagePullPolicy, k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import {
  checkAbsolutePath, checkAll, checkDns1123Label, checkEnvName, checkInteger, checkNonEmpty, checkOneOf, checkPort,
  invalidProp,
} from './props';
import { parseQuantity } from './validation/quantity';
import { intOrStringValue, quantityValue } from './json-form';

/** CPU and memory amounts, as Kubernetes quantities (`250m`, `512Mi`). */
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

/** An HTTP GET probe. */
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

/** A TCP connect probe. */
export interface TcpSocketProbeProps {
  /** Container port number or name. @default - the container's first port */
  readonly port?: number | string;
}

/** A command run inside the container; exit code 0 is healthy. */
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

/** A Secret mounted read-only as files. */
export interface SecretMount {
  /** Name of the Secret (it may be created outside the manifests). */
  readonly secretName: string;
  /** Directory the keys appear in as files, e.g. `/run/secrets/mongodb`. */
  readonly mountPath: string;
  /** Allow the pod to start without the Secret. @default false */
  readonly optional?: boolean;
}

/** A ConfigMap mounted read-only as files. */
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
  /** Non-zero uid the process runs as (images that default to root need one). @default - the construct's default (10001 for app images) */
  readonly runAsUser?: number;
  /** Gid the process runs as. @default - runAsUser */
  readonly runAsGroup?: number;
  /** Group that owns mounted volumes, so persistent data is writable. @default - runAsGroup */
  readonly fsGroup?: number;
  /** Mount the image's filesystem read-only; writable paths get an emptyDir. @default true */
  readonly readOnlyRootFilesystem?: boolean;
  /** Directories the process writes to; each gets its own emptyDir. @default - the construct's default (['/tmp']) */
  readonly writablePaths?: readonly string[];
  /** Mount the service account token (only workloads that call the Kubernetes API need it). @default false */
  readonly automountServiceAccountToken?: boolean;
  /** WEAKENS SECURITY: let the container run as root (uid 0). @default false */
  readonly allowRunAsRoot?: boolean;
}

/** What one container runs and how it is configured. */
export interface ContainerProps {
  /** Image reference, e.g. `mongo:6.0.6` or `registry.example.com/app@sha256:…`. */
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

/** A port the container listens on. */
export interface ContainerPort {
  readonly name: string;
  readonly port: number;
}

/** Defaults a construct supplies for the fields its users leave out. */
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
  readonly container: ContainerProps;
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
/** An HTTP header name: an RFC 7230 token. */
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** What {@link checkPodTemplate} needs of a {@link PodTemplateInput}. */
export type PodTemplateChecks = Pick<PodTemplateInput, 'container' | 'defaults' | 'ports' | 'claimMounts'>;

/**
 * Checks every container prop of a pod template and throws one {@link PropsError} with all the
 * problems; constructs call it among their own checks, so that one error lists everything.
 */
export function checkPodTemplate(scope: IConstruct, input: PodTemplateChecks): void {
  const { container: props, defaults } = input;
  const security = { ...defaults.security, ...props.security };
  checkAll(scope, [
    ...containerChecks(scope, props, input.ports),
    () => checkSecurity(scope, security),
    () => checkResources(scope, mergeResources(defaults.resources, props.resources)),
    () => podVolumes(scope, props, security, input.claimMounts),
  ]);
}

/** Builds the pod template; validates every container prop first, so bad input creates nothing. */
export function buildPodTemplate(scope: IConstruct, input: PodTemplateInput): k8s.PodTemplateSpec {
  checkPodTemplate(scope, input);
  const { container: props, defaults } = input;
  const security = { ...defaults.security, ...props.security };
  const resources = mergeResources(defaults.resources, props.resources);

  const uid = security.runAsUser ?? DEFAULT_APP_UID;
  const gid = security.runAsGroup ?? uid;
  const readOnlyRoot = security.readOnlyRootFilesystem ?? true;
  const { volumes, mounts } = podVolumes(scope, props, security, input.claimMounts);

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
    resources: toResourceRequirements(resources),
    livenessProbe: liveness && toProbe(scope, 'liveness', liveness, input.ports),
    readinessProbe: readiness && toProbe(scope, 'readiness', readiness, input.ports),
    startupProbe: props.startup && toProbe(scope, 'startup', props.startup, input.ports),
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: readOnlyRoot,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: mounts.length ? mounts : undefined,
  };

  return {
    metadata: { labels: { ...input.labels }, annotations: nonEmpty(input.annotations) },
    spec: {
      automountServiceAccountToken: security.automountServiceAccountToken ?? false,
      securityContext: {
        runAsNonRoot: !security.allowRunAsRoot,
        runAsUser: uid,
        runAsGroup: gid,
        fsGroup: security.fsGroup ?? gid,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [container],
      volumes: volumes.length ? volumes : undefined,
      restartPolicy: input.restartPolicy,
      topologySpreadConstraints: input.topologySpreadConstraints,
    },
  };
}

/** The pod's volumes and the container's mounts: volume claims, writable paths, Secrets and ConfigMaps. */
function podVolumes(scope: IConstruct, props: ContainerProps, security: SecurityProps, claimMounts: readonly k8s.VolumeMount[] | undefined) {
  const writablePaths = security.writablePaths ?? ['/tmp'];
  const mounts: k8s.VolumeMount[] = [...(claimMounts ?? [])];
  const volumes: k8s.Volume[] = [];
  for (const path of writablePaths) {
    const name = volumeNameForPath(scope, path);
    volumes.push({ name, emptyDir: {} });
    mounts.push({ name, mountPath: path });
  }
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
  checkUniqueMountPaths(scope, mounts);
  checkUniqueVolumeNames(scope, [...(claimMounts ?? []).map((m) => m.name), ...volumes.map((v) => v.name)]);
  return { volumes, mounts };
}

/** The requests and limits a container ends up with: the construct's defaults, overridden field by field. */
export function mergeResources(defaults: ResourceProps, overrides: ResourceProps | undefined): ResourceProps {
  return {
    requests: { ...defaults.requests, ...overrides?.requests },
    limits: { ...defaults.limits, ...overrides?.limits },
  };
}

function nonEmpty<T extends object>(value: T | undefined): T | undefined {
  return value && Object.keys(value).length ? { ...value } : undefined;
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

function checkResources(scope: IConstruct, resources: ResourceProps): void {
  const quantities = (['requests', 'limits'] as const).flatMap((kind) => Object.entries(resources[kind] ?? {}).map(([resource, quantity]) => () => {
    if (quantity === undefined) return;
    const value = parseQuantity(quantity);
    if (value === undefined || value < 0) {
      throw invalidProp(scope, `resources.${kind}.${resource}`, quantity, 'must be a non-negative Kubernetes quantity such as "250m", "1", "512Mi" or "1Gi"');
    }
  }));
  checkAll(scope, quantities);
  checkAll(scope, (['cpu', 'memory'] as const).map((resource) => () => {
    const request = resources.requests?.[resource];
    const limit = resources.limits?.[resource];
    if (request !== undefined && limit !== undefined && parseQuantity(request)! > parseQuantity(limit)!) {
      throw invalidProp(scope, `resources.requests.${resource}`, request, `must not exceed resources.limits.${resource} (${limit}); the API server rejects requests above limits`);
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
function checkEnvValue(scope: IConstruct, name: string, value: unknown): void {
  if (typeof value === 'string') return;
  const reference = value as Partial<EnvValue> | null;
  if (typeof reference === 'object' && reference !== null && (reference.value !== undefined || reference.valueFrom !== undefined)) return;
  throw invalidProp(scope, `env["${name}"]`, value, 'must be a string or an EnvValue (quote numbers and booleans)');
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

function toResourceRequirements(resources: ResourceProps): k8s.ResourceRequirements {
  const toList = (list: ResourceList | undefined) => {
    const entries = Object.entries(list ?? {}).filter(([, q]) => q !== undefined);
    return entries.length ? Object.fromEntries(entries.map(([k, q]) => [k, quantityValue(q as string)])) : undefined;
  };
  return { requests: toList(resources.requests), limits: toList(resources.limits) };
}
