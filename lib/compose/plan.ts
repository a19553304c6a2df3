import * as path from 'path';
import { APP_CONTAINER_DEFAULTS, ProbeProps, ResourceProps } from '../constructs/pod-template';
import { isIpAddress } from '../manifest/cidr';
import { isDns1035Label, isDns1123Label } from '../manifest/names';
import { parseQuantity } from '../manifest/quantity';
import { imageRuntimeNeeds } from '../manifest/image-needs';
import { unpinnedReason } from '../manifest/image-reference';
import { HostReference, hostReferences } from './hosts';
import { imagePort, imageTag, KnownImage, knownImage } from './known-images';
import { ComposeHealthcheck, ComposePort, ComposeProject, ComposeService } from './model';
import { bytesToQuantity, ComposeError, cpusToQuantity, javaMaxHeapBytes } from './values';

/** Something of the compose file the import does not convert, or converts with a caveat. */
export interface ImportWarning {
  /** The compose service, when the key is one of a service. */
  readonly service?: string;
  readonly key: string;
  readonly message: string;
}

export function formatWarning(warning: ImportWarning): string {
  return `${warning.service === undefined ? '' : `${warning.service}: `}${warning.key}: ${warning.message}`;
}

/**
 * The construct a service becomes: a preset for the database and cache images the importer knows
 * (Mongo, Redis, PostgreSQL, MySQL, MariaDB), a StatefulApp (services with a port that keep data
 * on named volumes), or a WebApp (with a port and its Service; without one, a worker, or a BatchJob when compose does not
 * restart it).
 */
export type WorkloadKind = PresetKind | 'stateful' | 'web' | 'worker' | 'job';

/** The presets: MongoStatefulSet, RedisStatefulSet, PostgresStatefulSet, MysqlStatefulSet (flavours mysql and mariadb). */
export type PresetKind = KnownImage['preset'];

/** Whether the service runs as a SQL preset (PostgresStatefulSet, MysqlStatefulSet), whose password comes from a Secret file. */
export function isSqlPreset(kind: WorkloadKind): kind is 'postgres' | 'mysql' | 'mariadb' {
  return kind === 'postgres' || kind === 'mysql' || kind === 'mariadb';
}

/** Whether the service runs as a preset, which keeps its own user, writable folders and probes. */
export function isPreset(kind: WorkloadKind): kind is PresetKind {
  return kind !== 'stateful' && kind !== 'web' && kind !== 'worker' && kind !== 'job';
}

export interface VolumeClaimPlan {
  readonly name: string;
  readonly mountPath: string;
}

export interface ServicePlan {
  /** The compose service's name, and so the name of its Service: compose host names keep working. */
  readonly compose: string;
  /** The base name of the objects: the compose name as a DNS label. */
  readonly name: string;
  readonly kind: WorkloadKind;
  /** For a BatchJob: compose's `restart` as the pod's restartPolicy, and the retries `on-failure:<n>` allows. */
  readonly job?: { readonly restartPolicy: 'Never' | 'OnFailure'; readonly backoffLimit: number | undefined };
  /** A database the importer knows (its image's port, data folder and uid): it runs one pod. */
  readonly database: boolean;
  /** The image for the stage config. */
  readonly image: string;
  /** Where a built image comes from, for a comment next to it. */
  readonly build?: ComposeService['build'];
  readonly port?: number;
  readonly portName?: string;
  /** The service's other TCP ports, each on the Service as `tcp-<port>`. */
  readonly extraPorts: readonly { readonly name: string; readonly port: number }[];
  readonly env: readonly (readonly [string, string])[];
  /** Kubernetes' command (compose's entrypoint) and args (compose's command). */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly readiness?: ProbeProps;
  readonly volumeClaims: readonly VolumeClaimPlan[];
  /** Default size of the service's volume claims, for the stage config. */
  readonly storage?: string;
  /** Writable folders (emptyDirs); undefined keeps the construct's default. */
  readonly writablePaths?: readonly string[];
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  /** The table of image needs knows the image's own user, which the construct fills in (so not the stage's runAsUser). */
  readonly imageKnowsUser?: boolean;
  /** The image writes among its own files (the table's `writableRoot`): its root filesystem stays writable. */
  readonly writableRoot?: boolean;
  readonly secretMount?: { readonly secretName: string; readonly mountPath: string; readonly keys: readonly SecretKeyPlan[] };
  readonly configMounts: readonly { readonly configMapName: string; readonly mountPath: string; readonly key: string; readonly file?: string }[];
  readonly dependsOn: readonly string[];
  /**
   * Services it connects to (`depends_on`, `links`, host names in env values) that serve a port,
   * each with the ports named with the host; none means every port of the server.
   */
  readonly connectsTo: readonly { readonly service: string; readonly ports: readonly number[] }[];
  readonly replicas: number;
  readonly resources?: ResourceProps;
  readonly serviceType?: 'NodePort' | 'LoadBalancer';
  readonly nodePort?: number;
  /**
   * Ports reached from outside the cluster, which the policy admits from any address: the
   * published ports of a WebApp, through a NodePort Service in the stages that publish them
   * (`byStage`), or through the Service type of a `kompose.service.type` label (the WebApp admits
   * every port of such a Service itself, these among them); those of a StatefulSet through a
   * NodePort Service of their own (`nodePorts`) in the stages that publish them.
   */
  readonly exposure?: { readonly ports: readonly number[]; readonly byStage: boolean };
  readonly ingress?: { readonly host: string; readonly ingressClassName?: string; readonly tlsSecret?: string };
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** `extra_hosts`, one entry per address. */
  readonly hostAliases?: readonly { readonly ip: string; readonly hostnames: readonly string[] }[];
  readonly rootUsername?: string;
  /** PostgreSQL's superuser (`POSTGRES_USER`). */
  readonly user?: string;
  /** The database a SQL preset creates on first start (`POSTGRES_DB`, `MYSQL_DATABASE`, `MARIADB_DATABASE`). */
  readonly databaseName?: string;
  /** A SQL preset's password file, when the compose file reads it from one of the service's secrets (`*_PASSWORD_FILE`). */
  readonly passwordSecret?: { readonly secretName: string; readonly key: string; readonly mountPath: string };
}

/** A key of a service's Secret: the compose secret, and the file or variable it is created from. */
export interface SecretKeyPlan {
  readonly key: string;
  readonly source: string;
  readonly file?: string;
  readonly environment?: string;
}

export interface ImportPlan {
  readonly project: string;
  /** In apply order: every service after those it depends on, otherwise in file order. */
  readonly services: readonly ServicePlan[];
  readonly warnings: readonly ImportWarning[];
}

const PULL_POLICIES: Readonly<Record<string, ServicePlan['imagePullPolicy']>> = {
  always: 'Always', never: 'Never', missing: 'IfNotPresent', if_not_present: 'IfNotPresent', ifnotpresent: 'IfNotPresent',
};
const RESTARTS_AS_KUBERNETES = ['always', 'unless-stopped'];
const CONVERTED_KOMPOSE_LABELS = new Set([
  'kompose.service.type', 'kompose.service.expose', 'kompose.service.expose.ingress-class-name', 'kompose.service.expose.tls-secret',
  'kompose.service.nodeport.port', 'kompose.image-pull-policy', 'kompose.volume.size', 'kompose.controller.type',
]);
const DEFAULT_STORAGE = '1Gi';
/** What WebApp, StatefulApp and BatchJob request and limit when a service says nothing. */
const DEFAULT_RESOURCES: ResourceProps = APP_CONTAINER_DEFAULTS.resources;
const APP_WRITABLE_PATHS = ['/tmp'];

/** Maps a parsed compose project onto our constructs; throws a ComposeError for what cannot be mapped at all. */
export function planImport(project: ComposeProject, file: string): ImportPlan {
  const warnings: ImportWarning[] = [];
  const warn = (service: string | undefined, key: string, message: string) => warnings.push({ service, key, message });

  for (const { key } of project.unconverted) warn(undefined, key, 'not converted (the importer reads services, volumes, secrets and configs)');
  for (const [name, volume] of Object.entries(project.volumes)) {
    for (const { key } of volume.unconverted) warn(undefined, `volumes.${name}.${key}`, 'not converted: volume claims use the cluster\'s storage class (stage config `storageClassName`)');
  }
  const unsetPlaces = new Map<string, string[]>();
  for (const { name, where } of project.unsetVariables) unsetPlaces.set(name, [...unsetPlaces.get(name) ?? [], where]);
  for (const [name, places] of unsetPlaces) {
    const shown = places.length > 3 ? `${places.slice(0, 3).join(', ')} and ${places.length - 3} more` : places.join(', ');
    warn(undefined, 'interpolation', `\${${name}} is not set (the importer reads the .env file next to the compose file, not the shell) and has no default: `
      + `it became an empty string, as compose makes it, in ${shown} (set it in .env, or give it a default: \${${name}:-value})`);
  }

  const names = new Map<string, string>();
  for (const service of project.services) {
    const name = service.name.toLowerCase().replace(/[_.]/g, '-');
    if (!isDns1035Label(name)) {
      throw new ComposeError(`${file}: services.${service.name}: the name cannot be a Kubernetes Service name (a DNS-1035 label: at most 63 characters of a-z, 0-9 and "-", starting with a letter)`);
    }
    const clash = [...names.entries()].find(([, other]) => other === name);
    if (clash) throw new ComposeError(`${file}: services.${service.name}: becomes "${name}" like services.${clash[0]}; rename one of them`);
    if (name !== service.name) warn(service.name, 'name', `the host name becomes "${name}" (a Kubernetes Service name); clients that use "${service.name}" must change`);
    names.set(service.name, name);
  }
  const ordered = applyOrder(project.services, file);
  const references = hostReferences(project);
  const served = new Map(project.services.map((s) => [s.name, portsServed(s, references, (key, message) => warn(s.name, key, message))]));
  const services = ordered.map((service) => planService(project, service, names, served.get(service.name)!,
    connections(service, references, served), (key, message) => warn(service.name, key, message)));
  return { project: project.name, services, warnings };
}

/** Services after the services they depend on, otherwise in file order; a cycle is an error. */
function applyOrder(services: readonly ComposeService[], file: string): ComposeService[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const ordered: ComposeService[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (service: ComposeService, trail: readonly string[]) => {
    if (state.get(service.name) === 'done') return;
    if (state.get(service.name) === 'visiting') throw new ComposeError(`${file}: depends_on forms a cycle: ${[...trail, service.name].join(' -> ')}`);
    state.set(service.name, 'visiting');
    for (const dependency of service.dependsOn) visit(byName.get(dependency.service)!, [...trail, service.name]);
    state.set(service.name, 'done');
    ordered.push(service);
  };
  for (const service of services) visit(service, []);
  return ordered;
}

/** TCP ports of `ports` and `expose`, each target port once, in file order. */
function servicePorts(service: ComposeService): ComposePort[] {
  const seen = new Set<number>();
  return [...service.ports, ...service.expose].filter((port) => {
    if (port.protocol !== 'tcp' || seen.has(port.target)) return false;
    seen.add(port.target);
    return true;
  });
}

/**
 * The TCP ports a service serves: those of `ports` and `expose`, then the ports other services name
 * with its host (compose reaches every port of a container, a Service only those it lists), and for
 * a service without any that others name as a host, its image's port when the importer knows it.
 */
function portsServed(service: ComposeService, references: readonly HostReference[], warn: (key: string, message: string) => void): ComposePort[] {
  const known = service.build === undefined ? knownImage(service.image!) : undefined;
  const declared = servicePorts(service);
  const ports = known && !declared.some((p) => p.target === known.port) ? [{ target: known.port, protocol: 'tcp' }, ...declared] : declared;
  const served = new Set(ports.map((p) => p.target));
  const named = references.filter((r) => r.server === service.name);
  for (const reference of named) {
    if (reference.port === undefined || served.has(reference.port)) continue;
    if (known?.preset) {
      warn('ports', `${reference.port} not converted: ${reference.client} names ${service.name}:${reference.port} (${reference.where}), but the ${known.preset} preset serves ${known.port} only`);
      continue;
    }
    served.add(reference.port);
    ports.push({ target: reference.port, protocol: 'tcp' });
    warn('ports', `${reference.port} added to the Service: ${reference.client} connects to ${service.name}:${reference.port} (${reference.where}); `
      + 'compose reaches every port of a container, a Service only those it lists');
  }
  if (!served.size && named.length) {
    const clients = [...new Set(named.map((r) => `${r.client} (${r.where})`))].join(', ');
    const port = service.image === undefined ? undefined : imagePort(service.image);
    if (port === undefined) {
      warn('ports', `none, but ${clients} name ${service.name} as a host: without a port it gets no Service, so the name does not resolve `
        + 'and the connection is not admitted (add the port it listens on: expose: ["<port>"])');
    } else {
      ports.push({ target: port, protocol: 'tcp' });
      warn('ports', `${port} (the port ${imageRepositoryLabel(service.image!)} listens on) added, so that its host name resolves for ${clients}`);
    }
  }
  return ports;
}

/** The client's connections: one per server that serves a port, on the ports named with it, or on every port when one reference names none. */
function connections(
  client: ComposeService, references: readonly HostReference[], served: ReadonlyMap<string, readonly ComposePort[]>,
): ServicePlan['connectsTo'] {
  const edges = new Map<string, Set<number> | 'all'>();
  for (const reference of references.filter((r) => r.client === client.name)) {
    const ports = served.get(reference.server)!.map((p) => p.target);
    if (!ports.length) continue;
    if (reference.port !== undefined && !ports.includes(reference.port)) continue;
    const edge = edges.get(reference.server);
    if (reference.port === undefined) edges.set(reference.server, 'all');
    else if (edge !== 'all') edges.set(reference.server, new Set([...edge ?? [], reference.port]));
  }
  return [...edges].map(([service, ports]) => ({ service, ports: ports === 'all' ? [] : [...ports] }));
}

function planService(
  project: ComposeProject,
  service: ComposeService,
  names: ReadonlyMap<string, string>,
  ports: readonly ComposePort[],
  connectsTo: ServicePlan['connectsTo'],
  warn: (key: string, message: string) => void,
): ServicePlan {
  for (const { key, detail } of service.unconverted) warn(key, `not converted${detail === undefined ? '' : ` (${detail})`}`);
  const name = names.get(service.name)!;
  const image = service.image ?? `${project.name}-${service.name}`;
  const known = service.build === undefined ? knownImage(image) : undefined;
  checkPinned(image, service, warn);

  const labels = kompose(service, warn);
  for (const port of [...service.ports, ...service.expose]) {
    if (port.protocol !== 'tcp') warn('ports', `${port.target}/${port.protocol} not converted: the constructs serve TCP only`);
    if (port.range) warn('ports', `the range ${port.range} became its first port, ${port.target}`);
  }
  const named = service.volumes.filter((v) => v.type === 'volume' && v.source !== undefined);
  const job = planRestart(service, name, ports.length > 0 || known !== undefined, warn);
  const kind: WorkloadKind = known?.preset
    ?? (known || (ports.length && (named.length || labels.controller === 'statefulset')) ? 'stateful' : ports.length ? 'web' : job ? 'job' : 'worker');
  const port = known?.port ?? ports[0]?.target;
  const others = ports.filter((p) => p.target !== port);
  if (isPreset(kind)) {
    for (const other of others) warn('ports', `${other.target} not converted: the ${kind} preset serves ${port}`);
  }
  const extraPorts = isPreset(kind) ? [] : others.map((p) => ({ name: `tcp-${p.target}`, port: p.target }));
  if (labels.controller === 'statefulset' && kind !== 'stateful' && !isPreset(kind)) {
    warn('labels', 'kompose.controller.type "statefulset" not converted: a StatefulApp needs a port');
  }

  const exposure = planExposure(service, kind, name, port, [port, ...extraPorts.map((p) => p.port)], labels, warn);

  const volumes = planVolumes(service, kind, known, warn);
  const dependsOn = service.dependsOn.map((d) => d.service);
  for (const dependency of service.dependsOn) {
    if (dependency.condition !== 'service_started') {
      warn('depends_on', `${dependency.service}: condition ${dependency.condition} not converted: Kubernetes starts every pod at once; `
        + `the chart dependency orders the apply, and ${service.name} must retry until ${dependency.service} is ready`);
    }
  }
  if (known && (service.replicas ?? 1) !== 1) {
    warn('deploy.replicas', `${service.replicas} not converted: more pods of ${imageRepositoryLabel(image)} would be independent servers, not replicas; it runs one`);
  }
  const env = planEnvironment(service, kind, name, warn);
  const secretMount = planSecrets(project, service, name);
  const passwordSecret = presetPasswordSecret(service, kind, secretMount);
  const passwordFile = PRESET_VARIABLES[kind as PresetKind]?.props.find((key) => key.endsWith('_PASSWORD_FILE') && environmentValue(service, key) !== undefined);
  if (passwordFile && !passwordSecret) {
    warn('environment', `${passwordFile} not converted: it names no file of the service's secrets; the ${kind} preset reads the password from Secret ${name}-secret (key password)`);
  }
  const user = planUser(service, kind, warn);
  const needs = service.build === undefined && !isPreset(kind) ? imageRuntimeNeeds(image) : undefined;
  if (needs?.writableRoot !== undefined) {
    warn('image', `${image} needs a writable root filesystem (${needs.writableRoot}): it gets one (security.readOnlyRootFilesystem: false), and still runs without root or capabilities`);
  }
  let imagePullPolicy = labels.pullPolicy;
  if (service.pullPolicy !== undefined) {
    imagePullPolicy = PULL_POLICIES[service.pullPolicy];
    if (imagePullPolicy === undefined) warn('pull_policy', `"${service.pullPolicy}" not converted: the images are built outside Kubernetes`);
  }

  return {
    compose: service.name,
    name,
    kind,
    job,
    database: known !== undefined,
    image,
    build: service.build,
    port,
    portName: known?.portName,
    extraPorts,
    env,
    command: service.entrypoint,
    args: service.command,
    readiness: planReadiness(service.healthcheck, port, kind, warn),
    volumeClaims: volumes.claims,
    storage: volumes.claims.length ? labels.storage ?? DEFAULT_STORAGE : undefined,
    writablePaths: volumes.writablePaths,
    runAsUser: user?.uid,
    runAsGroup: user?.gid,
    imageKnowsUser: needs?.uid !== undefined || undefined,
    writableRoot: needs?.writableRoot !== undefined || undefined,
    secretMount,
    configMounts: planConfigs(project, service, warn),
    dependsOn,
    connectsTo,
    replicas: known ? 1 : service.replicas ?? 1,
    resources: planResources(service, known, warn),
    serviceType: labels.serviceType,
    nodePort: labels.nodePort,
    exposure,
    ingress: labels.ingress,
    imagePullPolicy,
    hostAliases: planHostAliases(service, warn),
    rootUsername: kind === 'mongo' ? environmentValue(service, 'MONGO_INITDB_ROOT_USERNAME') : undefined,
    user: kind === 'postgres' ? environmentValue(service, 'POSTGRES_USER') : undefined,
    databaseName: sqlDatabase(service, kind),
    passwordSecret,
  };
}

/**
 * Published ports (`"8080:80"`) of a WebApp make its Service a NodePort in the stages that publish
 * (dev), and the WebApp's policy admits any address on every port of that Service; a
 * `kompose.service.type` label makes the Service type fixed, with the same policy. An Ingress label needs neither.
 * Those of a StatefulSet (a preset, a StatefulApp), whose Service is headless, get a NodePort Service
 * of their own beside it in the same stages (`nodePorts`), among the ports it `serves`.
 */
function planExposure(
  service: ComposeService, kind: WorkloadKind, name: string, port: number | undefined, serves: readonly (number | undefined)[], labels: KomposeSettings,
  warn: (key: string, message: string) => void,
): ServicePlan['exposure'] {
  const published = service.ports.filter((p) => p.published !== undefined && p.protocol === 'tcp');
  const shown = published.map((p) => `${p.published}:${p.target}`).join(', ');
  const targets = [...new Set(published.map((p) => p.target))];
  if (labels.ingress !== undefined) return undefined;
  if (kind !== 'web') {
    // A preset's other ports were warned about as not converted: only the ones it serves are published.
    const open = targets.filter((target) => serves.includes(target));
    if (!open.length) return undefined;
    warn('ports', `published ${shown}: in the dev stage (publishPorts) the NodePort Service ${name}-nodeport, beside the headless Service ${name}, `
      + `publishes ${open.join(', ')}, and the policy admits any address on them; Kubernetes assigns the node ports (kubectl get service ${name}-nodeport)`);
    return { ports: open, byStage: true };
  }
  if (labels.serviceType !== undefined) {
    return { ports: targets.length ? targets : [port!], byStage: false };
  }
  if (!published.length) return undefined;
  // Every port of a NodePort Service is open on the nodes, and the WebApp admits any address on each, the published ones among them.
  const open = serves.filter((p): p is number => p !== undefined);
  warn('ports', `published ${shown}: in the dev stage (publishPorts) the Service ${name} is a NodePort whose policy admits any address on `
    + `its port${open.length > 1 ? 's' : ''} ${open.join(', ')}; Kubernetes assigns the node port (kubectl get service ${name}; minikube service ${name} --url)`);
  return { ports: targets, byStage: true };
}

/**
 * compose's `restart: "no"` and `on-failure[:n]` on a service without a port (a run-once task: a
 * migration, a seeder, an init step) make a BatchJob whose pod is restarted as compose would: never,
 * or on failure up to n times. A service with a port is a server, which stays a Deployment or
 * StatefulSet (always restarted) so that its Service keeps its endpoints; both are warned about.
 */
function planRestart(service: ComposeService, name: string, serves: boolean, warn: (key: string, message: string) => void): ServicePlan['job'] {
  const restart = service.restart;
  if (restart === undefined || RESTARTS_AS_KUBERNETES.includes(restart)) return undefined;
  const onFailure = /^on-failure(?::(\d+))?$/.exec(restart);
  if (restart !== 'no' && !onFailure) {
    warn('restart', `"${restart}" not converted: compose knows no, always, on-failure[:n] and unless-stopped`);
    return undefined;
  }
  if (serves) {
    warn('restart', `"${restart}" not converted: ${service.name} serves a port, so it stays a server whose pods are always restarted `
      + '(a pod that is not restarted would leave its Service without endpoints)');
    return undefined;
  }
  const job = onFailure
    ? { restartPolicy: 'OnFailure' as const, backoffLimit: onFailure[1] === undefined ? undefined : Number(onFailure[1]) }
    : { restartPolicy: 'Never' as const, backoffLimit: 0 };
  warn('restart', `"${restart}": a run-once task (no port), so a BatchJob ${name}-job whose pod runs to completion, `
    + (onFailure ? `restarted on failure${job.backoffLimit === undefined ? ' (up to 6 times, Kubernetes\' default)' : ` up to ${job.backoffLimit} times`}` : 'never restarted (restartPolicy Never, backoffLimit 0)')
    + '; a changed pod template needs the finished Job deleted before the next apply');
  return job;
}

/** `extra_hosts` as /etc/hosts entries, grouped by address; docker's `host-gateway` has no pod equivalent. */
function planHostAliases(service: ComposeService, warn: (key: string, message: string) => void): ServicePlan['hostAliases'] {
  const byIp = new Map<string, string[]>();
  for (const { host, ip } of service.extraHosts) {
    if (ip === 'host-gateway') {
      warn('extra_hosts', `${host}:host-gateway not converted: a pod has no docker host gateway; give the node's address, or reach the service through a Service`);
    } else if (!isIpAddress(ip)) {
      warn('extra_hosts', `${host}:${ip} not converted: not an IPv4 or IPv6 address`);
    } else {
      byIp.set(ip, [...byIp.get(ip) ?? [], host]);
    }
  }
  return byIp.size ? [...byIp].map(([ip, hostnames]) => ({ ip, hostnames })) : undefined;
}

function imageRepositoryLabel(image: string): string {
  return image.split(/[:@]/)[0];
}

function checkPinned(image: string, service: ComposeService, warn: (key: string, message: string) => void): void {
  if (unpinnedReason(image) === undefined) return;
  const key = service.image === undefined ? 'build' : 'image';
  const what = service.image === undefined ? `the built image "${image}" (the name docker compose gives it)` : `"${image}"`;
  warn(key, `${what} is ${imageTag(image) === undefined ? 'untagged' : '"latest"'}: pin a version in stages.ts (images.${service.name}), or every pull may run something else`);
}

interface KomposeSettings {
  readonly serviceType?: 'NodePort' | 'LoadBalancer';
  readonly nodePort?: number;
  readonly ingress?: { readonly host: string; readonly ingressClassName?: string; readonly tlsSecret?: string };
  readonly pullPolicy?: ServicePlan['imagePullPolicy'];
  readonly storage?: string;
  readonly controller?: string;
}

/** kompose's `kompose.*` labels that have a construct prop; other labels are reported. */
function kompose(service: ComposeService, warn: (key: string, message: string) => void): KomposeSettings {
  const labels = service.labels;
  for (const [key, value] of Object.entries(labels)) {
    if (!CONVERTED_KOMPOSE_LABELS.has(key)) {
      warn('labels', key.startsWith('kompose.')
        ? `${key} not converted`
        : `${key}=${value} not converted: container labels are not Kubernetes labels; add it to \`labels\` or \`podAnnotations\` in stack.ts`);
    }
  }
  const type = labels['kompose.service.type']?.toLowerCase();
  const serviceType = type === 'nodeport' ? 'NodePort' : type === 'loadbalancer' ? 'LoadBalancer' : undefined;
  if (type !== undefined && serviceType === undefined && type !== 'clusterip') warn('labels', `kompose.service.type "${type}" not converted: the Service is ClusterIP`);
  const nodePortLabel = labels['kompose.service.nodeport.port'];
  const nodePort = nodePortLabel === undefined || serviceType === undefined ? undefined : Number(nodePortLabel);
  if (nodePortLabel !== undefined && nodePort === undefined) warn('labels', 'kompose.service.nodeport.port not converted: it needs kompose.service.type nodeport');
  const expose = labels['kompose.service.expose'];
  const host = expose?.split(',')[0].trim();
  if (host !== undefined && !host.includes('.')) warn('labels', `kompose.service.expose "${expose}" not converted: the Ingress needs a host name such as app.example.com`);
  const ingress = host?.includes('.')
    ? { host, ingressClassName: labels['kompose.service.expose.ingress-class-name'], tlsSecret: labels['kompose.service.expose.tls-secret'] }
    : undefined;
  const pullLabel = labels['kompose.image-pull-policy'];
  const pullPolicy = pullLabel === undefined ? undefined : (['Always', 'IfNotPresent', 'Never'] as const).find((p) => p === pullLabel);
  if (pullLabel !== undefined && pullPolicy === undefined) warn('labels', `kompose.image-pull-policy "${pullLabel}" not converted: use Always, IfNotPresent or Never`);
  const controller = labels['kompose.controller.type']?.toLowerCase();
  if (controller !== undefined && controller !== 'deployment' && controller !== 'statefulset') warn('labels', `kompose.controller.type "${controller}" not converted`);
  return { serviceType, nodePort, ingress, pullPolicy, storage: labels['kompose.volume.size'], controller };
}

/** Named volumes become claims where the workload is a StatefulSet; everything else a process writes becomes an emptyDir. */
function planVolumes(service: ComposeService, kind: WorkloadKind, known: KnownImage | undefined, warn: (key: string, message: string) => void) {
  const claims: VolumeClaimPlan[] = [];
  const emptyDirs: string[] = [...service.tmpfs];
  for (const mount of service.volumes) {
    const shown = mount.source === undefined ? mount.target : `${mount.source}:${mount.target}`;
    if (mount.type === 'bind') {
      warn('volumes', `bind mount ${shown} dropped: host folders do not exist in the cluster (a source-code mount is a dev-only convenience; `
        + 'bake the files into the image, or put configuration in an AppConfig)');
    } else if (mount.type === 'tmpfs' || mount.source === undefined) {
      emptyDirs.push(mount.target);
    } else if (known?.preset !== undefined) {
      if (mount.target === known.dataPath) claims.push({ name: 'data', mountPath: mount.target });
      else warn('volumes', `named volume ${shown} not converted: the ${kind} preset keeps its data at ${known.dataPath}`);
    } else if (kind === 'stateful') {
      const base = claimName(mount.source);
      let name = base;
      for (let n = 2; claims.some((c) => c.name === name); n++) name = `${base}-${n}`;
      if (name !== base) {
        warn('volumes', `named volume ${shown} is mounted a second time: it gets a claim of its own, ${name}, so the two paths no longer share files`);
      }
      claims.push({ name, mountPath: mount.target });
    } else {
      warn('volumes', `named volume ${shown} became an emptyDir, lost with the pod: a worker (a service without a port) claims no volume; `
        + 'only a service with a port becomes a StatefulApp with volume claims');
      emptyDirs.push(mount.target);
    }
  }
  if (isPreset(kind)) {
    // Every database preset claims its data volume; Redis keeps /data on an emptyDir unless compose names a volume.
    if (kind !== 'redis' && !claims.length) claims.push({ name: 'data', mountPath: known!.dataPath });
    for (const target of emptyDirs) warn('volumes', `${target} not converted: the ${kind} preset has its own writable folders`);
    return { claims, writablePaths: undefined };
  }
  const base = APP_WRITABLE_PATHS;
  const writable = [...base, ...emptyDirs.filter((p) => !base.includes(p))];
  return { claims, writablePaths: writable.length === base.length && base === APP_WRITABLE_PATHS ? undefined : writable };
}

function claimName(volume: string): string {
  const name = volume.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
  return isDns1123Label(name) ? name : 'data';
}

/** What a SQL preset sets itself: the variables that became its props, and those that would override its password. */
const PRESET_VARIABLES: Readonly<Partial<Record<PresetKind, { readonly props: readonly string[]; readonly password: readonly string[] }>>> = {
  postgres: { props: ['POSTGRES_USER', 'POSTGRES_DB', 'POSTGRES_PASSWORD_FILE'], password: ['POSTGRES_PASSWORD'] },
  mysql: { props: ['MYSQL_DATABASE', 'MYSQL_ROOT_PASSWORD_FILE'], password: ['MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'] },
  mariadb: {
    props: ['MARIADB_DATABASE', 'MYSQL_DATABASE', 'MARIADB_ROOT_PASSWORD_FILE', 'MYSQL_ROOT_PASSWORD_FILE'],
    password: ['MARIADB_ROOT_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MARIADB_RANDOM_ROOT_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'],
  },
};

/** A variable of the service's environment; empty counts as unset, as the official images' entrypoints read it (`${POSTGRES_USER:-postgres}`). */
function environmentValue(service: ComposeService, key: string): string | undefined {
  return service.environment.find(([name]) => name === key)?.[1] || undefined;
}

function sqlDatabase(service: ComposeService, kind: WorkloadKind): string | undefined {
  if (kind === 'postgres') return environmentValue(service, 'POSTGRES_DB');
  if (kind === 'mysql') return environmentValue(service, 'MYSQL_DATABASE');
  if (kind === 'mariadb') return environmentValue(service, 'MARIADB_DATABASE') ?? environmentValue(service, 'MYSQL_DATABASE');
  return undefined;
}

/** A SQL preset's password file in one of the service's compose secrets: the Secret, its key and where it is mounted. */
function presetPasswordSecret(service: ComposeService, kind: WorkloadKind, secretMount: ServicePlan['secretMount']): ServicePlan['passwordSecret'] {
  const variables = PRESET_VARIABLES[kind as PresetKind]?.props.filter((key) => key.endsWith('_PASSWORD_FILE')) ?? [];
  const file = variables.map((key) => environmentValue(service, key)).find((value) => value !== undefined);
  if (!file || !secretMount || path.posix.dirname(file) !== secretMount.mountPath) return undefined;
  const key = path.posix.basename(file);
  return secretMount.keys.some((k) => k.key === key) ? { secretName: secretMount.secretName, key, mountPath: secretMount.mountPath } : undefined;
}

function planEnvironment(service: ComposeService, kind: WorkloadKind, name: string, warn: (key: string, message: string) => void) {
  const env: [string, string][] = [];
  const preset = PRESET_VARIABLES[kind as PresetKind];
  for (const [key, value] of service.environment) {
    if (value === undefined) {
      warn('environment', `${key} has no value in the file (compose takes it from the shell) and was left out`);
    } else if (preset?.props.includes(key)) {
      // Became a prop of the preset, which sets the variable.
    } else if (preset?.password.includes(key)) {
      warn('environment', `${key} not written into code: the ${kind} preset reads the password from Secret ${name}-secret (key password)`);
    } else if (kind === 'mongo' && key === 'MONGO_INITDB_ROOT_PASSWORD') {
      warn('environment', 'MONGO_INITDB_ROOT_PASSWORD not written into code: the password is read from Secret mongodb-secret (key password.txt)');
    } else if (kind === 'mongo' && key === 'MONGO_INITDB_ROOT_USERNAME') {
      // Becomes the preset's rootUsername.
    } else {
      env.push([key, value]);
    }
  }
  if (kind === 'mongo') {
    warn('image', 'MongoStatefulSet enables authentication (a root user whose password is in Secret mongodb-secret): clients that connected without credentials must now log in');
  }
  return env;
}

function planUser(service: ComposeService, kind: WorkloadKind, warn: (key: string, message: string) => void) {
  if (service.user === undefined) return undefined;
  const match = /^(\d+)(?::(\d+))?$/.exec(service.user);
  if (isPreset(kind)) {
    warn('user', `"${service.user}" not converted: the ${kind} preset runs as the image's own user`);
  } else if (!match) {
    warn('user', `"${service.user}" not converted: Kubernetes needs a numeric uid[:gid]`);
  } else if (Number(match[1]) === 0) {
    warn('user', 'root (0) not converted: the restricted Pod Security Standard refuses it; the pod runs as stage.runAsUser');
  } else {
    return { uid: Number(match[1]), gid: match[2] === undefined ? undefined : Number(match[2]) };
  }
  return undefined;
}

/** compose's healthcheck → a readiness probe (compose never restarts an unhealthy container, so no liveness); a TCP probe otherwise. */
function planReadiness(check: ComposeHealthcheck | undefined, port: number | undefined, kind: WorkloadKind, warn: (key: string, message: string) => void): ProbeProps | undefined {
  if (check === undefined) return kind === 'web' || (kind === 'stateful' && port !== undefined) ? { tcpSocket: {}, periodSeconds: 5 } : undefined;
  if (kind === 'job') {
    if (check.test !== undefined) warn('healthcheck', 'not converted: a BatchJob\'s pod runs to completion, and nothing waits for it to be ready');
    return undefined;
  }
  if (check.test !== undefined && PRESET_VARIABLES[kind as PresetKind]) {
    // A compose check such as `pg_isready` on the socket passes during the first start, which listens on the socket only.
    warn('healthcheck', `not converted: the ${kind} preset's readiness probe asks the server on TCP, which it opens once the first start is done`);
    return undefined;
  }
  if (check.test === undefined) {
    if (isPreset(kind)) warn('healthcheck', `disabled, not converted: the ${kind} preset keeps its own probes`);
    return undefined;
  }
  const timing = {
    initialDelaySeconds: check.startPeriodSeconds === undefined ? undefined : Math.ceil(check.startPeriodSeconds),
    periodSeconds: check.intervalSeconds === undefined ? undefined : Math.max(1, Math.ceil(check.intervalSeconds)),
    timeoutSeconds: check.timeoutSeconds === undefined ? undefined : Math.max(1, Math.ceil(check.timeoutSeconds)),
    failureThreshold: check.retries,
  };
  const [form, ...rest] = check.test;
  const shell = form === 'CMD-SHELL' ? rest.join(' ') : undefined;
  const http = localHttpCheck(shell ?? rest.join(' '));
  if (http && http.port === port) return { httpGet: { path: http.path }, ...timing };
  return { exec: { command: shell === undefined ? rest : ['/bin/sh', '-c', shell] }, ...timing };
}

/** `curl -f http://localhost:8080/health || exit 1` and the like, which an httpGet probe does without curl in the image. */
function localHttpCheck(command: string): { port: number; path: string } | undefined {
  const match = /^(?:curl|wget)\b[^|;&]*?\bhttp:\/\/(?:localhost|127\.0\.0\.1)(?::(\d+))?(\/[^\s'"]*)?['"]?(?:\s+(?:-\S+\s*)*)?(?:\s*\|\|\s*exit 1)?\s*$/.exec(command.trim());
  return match ? { port: Number(match[1] ?? 80), path: match[2] ?? '/' } : undefined;
}

/** A service's secrets: one Secret `<name>-secrets` mounted at /run/secrets, one key per compose secret, so the files keep their paths. */
function planSecrets(project: ComposeProject, service: ComposeService, name: string): ServicePlan['secretMount'] {
  if (!service.secrets.length) return undefined;
  const keys = service.secrets.map((grant) => {
    const target = grant.target ?? grant.source;
    const key = path.posix.basename(target);
    const definition = project.secrets[grant.source];
    return { key, source: grant.source, file: definition.file, environment: definition.environment };
  });
  return { secretName: `${name}-secrets`, mountPath: '/run/secrets', keys };
}

function planConfigs(project: ComposeProject, service: ComposeService, warn: (key: string, message: string) => void): ServicePlan['configMounts'] {
  const mounts: { configMapName: string; mountPath: string; key: string; file?: string }[] = [];
  for (const grant of service.configs) {
    const target = grant.target ?? `/${grant.source}`;
    const folder = path.posix.dirname(target);
    const mountPath = folder === '/' ? '/config' : folder;
    const key = path.posix.basename(target);
    const configMapName = claimName(grant.source);
    if (mounts.some((m) => m.mountPath === mountPath)) {
      warn('configs', `${grant.source} not converted: ${mountPath} already holds another config's ConfigMap (put both files in one ConfigMap)`);
      continue;
    }
    mounts.push({ configMapName, mountPath, key, file: project.configs[grant.source].file });
    warn('configs', `${grant.source} is ConfigMap ${configMapName}, mounted as the folder ${mountPath} (file ${mountPath}/${key}`
      + `${folder === '/' ? `, not ${target}` : ''}); the image's other files in that folder are hidden`);
  }
  return mounts;
}

/**
 * `deploy.resources` (and `cpus`, `mem_limit`, `mem_reservation`) as requests and limits. A memory
 * limit is always set: the one given, else the construct's default, raised to a reservation above
 * it (compose has no limit then) and, for a JVM with `-Xmx`, to twice the heap (the JVM's memory
 * beyond the heap, metaspace, threads, buffers, commonly reaches the heap's size again).
 */
function planResources(service: ComposeService, known: KnownImage | undefined, warn: (key: string, message: string) => void): ResourceProps | undefined {
  const convert = (side: 'limits' | 'reservations') => {
    const values = service.resources[side];
    const cpu = values.cpus === undefined ? undefined : cpusToQuantity(values.cpus);
    const memory = values.memory === undefined ? undefined : bytesToQuantity(values.memory);
    if (values.cpus !== undefined && cpu === undefined) warn(`deploy.resources.${side}.cpus`, `"${values.cpus}" not converted: not a positive number of CPUs`);
    if (values.memory !== undefined && memory === undefined) warn(`deploy.resources.${side}.memory`, `"${values.memory}" not converted: not a byte size such as 512m`);
    return { cpu, memory };
  };
  const limits = convert('limits');
  const reservations = convert('reservations');
  const defaults = known?.resources ?? DEFAULT_RESOURCES;
  const heap = javaMaxHeapBytes([...service.environment.map(([, value]) => value ?? ''), ...service.entrypoint ?? [], ...service.command ?? []]);
  if (heap !== undefined) {
    const needed = bytesToQuantity(2 * heap)!;
    const flag = `-Xmx: ${bytesToQuantity(heap)}`;
    if (limits.memory === undefined) {
      if (parseQuantity(needed)! > parseQuantity(defaults.limits!.memory!)!) {
        limits.memory = needed;
        warn('deploy.resources', `the memory limit is ${needed}, twice the Java heap (${flag}): the JVM needs memory beyond its heap, and the default `
          + `limit (${defaults.limits!.memory}) would kill it; set deploy.resources.limits.memory to choose another`);
      }
    } else if (parseQuantity(limits.memory)! < parseQuantity(needed)!) {
      warn('deploy.resources.limits.memory', `${limits.memory} leaves the JVM little beyond its heap (${flag}): the container is killed when it needs more; give it ${needed} or a smaller heap`);
    }
  }
  if ([limits.cpu, limits.memory, reservations.cpu, reservations.memory].every((v) => v === undefined)) return undefined;
  // Without a reservation the construct's request stays, unless it is above the limit (the API server refuses that).
  const request = (resource: 'cpu' | 'memory') => {
    const reserved = reservations[resource];
    const limit = limits[resource];
    if (reserved !== undefined) return reserved;
    return limit !== undefined && parseQuantity(limit)! < parseQuantity(defaults.requests![resource]!)! ? limit : undefined;
  };
  // A reservation above the default limit, without a limit of its own: compose has no limit then, and a request above the limit is refused.
  if (limits.memory === undefined && reservations.memory !== undefined && parseQuantity(reservations.memory)! > parseQuantity(defaults.limits!.memory!)!) {
    limits.memory = reservations.memory;
  }
  const requests = compact({ cpu: request('cpu'), memory: request('memory') });
  const limitList = compact(limits);
  return compact({ requests, limits: limitList }) as ResourceProps;
}

function compact<T extends object>(value: T): T | undefined {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length ? Object.fromEntries(entries) as T : undefined;
}
