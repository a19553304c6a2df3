import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { checkDisruptionBudget, DisruptionBudgetProps } from './disruption-budget';
import { checkHpaPolicy } from './hpa-policy';
import { checkPodTemplate, ContainerPort, ContainerProps, PodTemplateProps } from './pod-template';
import {
  checkAll, checkDns1123Label, checkInteger, checkPort, checkPortName, detachOnError, invalidProp, isDns1123Label, PropProblem,
  PropsError,
} from './props';
import { ReleaseVersion, VersionAutoscaling } from './release-version';
import { buildService } from './service';
import { RELEASE_VERSION_LABEL } from '../manifest/release-labels';
import { WebAppProps } from './web-app';
import { checkRollout, WEB_APP_DEFAULTS, webContainerRequests } from './web-deployment';
import { CanaryFrontInput, clusterService, derivedServiceName, planWebFront, WebFront, WebFrontPlan, WebRouteOptions } from './web-front';
import { checkWorkloadName, WorkloadBase, workloadMetadataChecks } from './workload';

/** One version of a released app: its image and whatever else differs from the app's shared settings. */
export interface ReleaseVersionSettings extends ContainerProps {
  /** Pods of this version. @default - the app's `replicas` */
  readonly replicas?: number;
  /** A PodDisruptionBudget `<name>-<version>-pdb` for this version's pods. @default - none */
  readonly disruptionBudget?: DisruptionBudgetProps;
  /** An HPA `<name>-<version>-hpa` for this version's Deployment. @default - fixed replicas */
  readonly autoscaling?: VersionAutoscaling;
}

/** Blue/green: at most two versions; the Service selects the active one, the preview Service the other. @inline */
export interface BlueGreenRelease {
  readonly strategy: 'blue-green';
  /** The version the Service sends every request to: switching is changing this name. */
  readonly active: string;
}

/** Rainbow: any number of live versions; new traffic goes to the active one, each version keeps its own Service for its clients until it is retired. @inline */
export interface RainbowRelease {
  readonly strategy: 'rainbow';
  /** The version the Service sends new connections to. */
  readonly active: string;
}

/** An ingress-nginx canary Ingress on the primary Ingress's host and path (needs the app's `ingress`). @inline */
export interface IngressNginxCanaryRouter {
  readonly kind: 'ingress-nginx';
}

/** No router: one Service selects both versions and the replica counts make the weight. @inline */
export interface ReplicaRatioCanaryRouter {
  readonly kind: 'replica-ratio';
}

/** A Gateway API HTTPRoute `<name>-route` with weighted backendRefs to the app's Service (stable) and the canary Service. @inline */
export interface HttpRouteCanaryRouter extends Partial<WebRouteOptions> {
  readonly kind: 'http-route';
  /** The Gateways the route attaches to (`spec.parentRefs`). @default - the app's `route.gateways` */
  readonly gateways?: WebRouteOptions['gateways'];
  /** Host names the route matches. @default - the app's `route.hostnames`, else its `ingress.host`, else every host of the listener */
  readonly hostnames?: WebRouteOptions['hostnames'];
  /** URL path prefix to match. @default - the app's `route.path`, else its `ingress.path`, else '/' */
  readonly path?: string;
  /** The Gateways' data plane, which the app's NetworkPolicy admits. @default - the app's `route.dataPlane` */
  readonly dataPlane?: WebRouteOptions['dataPlane'];
}

/** What splits a canary's traffic. @inline */
export type CanaryRouter = IngressNginxCanaryRouter | HttpRouteCanaryRouter | ReplicaRatioCanaryRouter;

/** Canary: the stable version takes most traffic, the canary version `weight` percent of it. @inline */
export interface CanaryRelease {
  readonly strategy: 'canary';
  /** The version taking `100 - weight` percent. */
  readonly stable: string;
  /** The version taking `weight` percent. */
  readonly canary: string;
  /** Percent of requests (an integer from 0 to 100) the canary receives. */
  readonly weight: number;
  /** What splits the traffic. @default - a replica ratio behind one Service */
  readonly router?: CanaryRouter;
}

/** How a released app's versions share its traffic. */
export type ReleaseStrategy = BlueGreenRelease | RainbowRelease | CanaryRelease;

/**
 * Props of a {@link ReleasedWebApp}: those of a {@link WebApp} without its image (each version
 * names its own) and its budget (each version has its own). `replicas` are the pods of each
 * version, or of both together for a canary by replica ratio; `serviceType`, `nodePort`,
 * `ingress` and `route` concern the app's Service, the preview, canary and version Services are ClusterIP.
 */
export interface ReleasedWebAppProps extends Omit<WebAppProps, 'image' | 'port' | 'disruptionBudget'> {
  /** The versions by name (DNS labels; `blue`, `green`, `v2`); each names its image. */
  readonly versions: Readonly<Record<string, ReleaseVersionSettings>>;
  /** Which version gets the traffic. */
  readonly release: ReleaseStrategy;
  /** Port the container listens on: a release always has a Service to switch. */
  readonly port: number;
}

const STRATEGIES: readonly string[] = ['blue-green', 'rainbow', 'canary'];
const ROUTERS: readonly string[] = ['ingress-nginx', 'http-route', 'replica-ratio'];

/**
 * A stateless app released in versions: one Deployment per version (see {@link ReleaseVersion}),
 * and Services whose selectors pick the versions the strategy routes to. Moving traffic changes
 * only Service selectors (and canary weights), never a Deployment's immutable selector, so a
 * switch and its rollback are one changed prop each. As a peer in `connections` it stands for
 * every version: its NetworkPolicy `<name>-network-policy` selects the pods of all of them.
 */
@detachOnError
export class ReleasedWebApp extends WorkloadBase {
  /** The versions, by name. */
  public readonly versions: Readonly<Record<string, ReleaseVersion>>;
  /** The version receiving the traffic (blue/green, rainbow) or most of it (canary: the stable one). */
  public readonly activeVersion: string;
  /** The app's Service: the active (or stable) version, or every version for a replica-ratio canary. */
  public readonly service: ApiObject;
  /** The port the Services expose. */
  public readonly servicePort: number;
  /** The Ingress `<name>-ingress`, when `ingress` is set. */
  public readonly ingress?: ApiObject;
  /** Blue/green: `<name>-preview-service`, selecting the version that is not active (when there is one). */
  public readonly previewService?: ApiObject;
  /** Canary with a router: `<name>-canary-service`, selecting the canary version. */
  public readonly canaryService?: ApiObject;
  /** Canary by ingress-nginx: `<name>-canary-ingress`. */
  public readonly canaryIngress?: ApiObject;
  /** `<name>-route`, when the app has a `route` (to its Service) or a canary is routed by the Gateway API (weighted between the app's Service and the canary Service). */
  public readonly httpRoute?: ApiObject;
  /** Rainbow: `<name>-<version>-service` for every version, for the clients that stay on it. */
  public readonly versionServices: Readonly<Record<string, ApiObject>>;

  constructor(scope: Construct, id: string, props: ReleasedWebAppProps) {
    const portName = props.portName ?? 'http';
    const ports = [{ name: portName, port: props.port }];
    super(scope, id, { ...props, containerPorts: ports });
    const names = Object.keys(props.versions ?? {});
    const pods = Object.fromEntries(names.map((version) => [version, podOf(props, props.versions[version])]));
    const release = props.release;
    const byReplicaRatio = release?.strategy === 'canary' && (release.router?.kind ?? 'replica-ratio') === 'replica-ratio';
    const versionServices = versionServicesOf(props.name, names, release);
    let front: WebFrontPlan | undefined;
    checkAll(this, [
      () => checkWorkloadName(this, props.name),
      () => checkPort(this, 'port', props.port),
      () => checkPortName(this, 'portName', portName),
      () => checkInteger(this, 'replicas', props.replicas ?? 1, 0),
      ...workloadMetadataChecks(this, props.name, props),
      () => {
        const given = props.labels?.[RELEASE_VERSION_LABEL];
        if (given !== undefined) throw invalidProp(this, `labels["${RELEASE_VERSION_LABEL}"]`, given, 'must be left out: each version sets it to its own name');
      },
      () => checkRollout(this, props.rollout),
      () => {
        if (!names.length) throw invalidProp(this, 'versions', props.versions, 'must name at least one version');
      },
      ...names.map((version) => () => checkVersionName(this, props.name, version)),
      ...names.map((version) => withVersionField(version, () => checkVersion(this, props, version, pods[version], ports))),
      () => checkStrategy(this, props, names),
      () => (front = planWebFront(this, {
        name: props.name,
        props,
        target: { name: props.name, containerPorts: ports },
        targetPort: portName,
        mixedVersions: byReplicaRatio,
        canary: canaryOf(release),
      })),
      // A version key that is no DNS label is reported by its own check only.
      ...versionServices.map(({ serviceName, field, version }) => () => isDns1123Label(version) && derivedServiceName(this, props.name, serviceName, field)),
    ]);
    const labels = this.labels;
    const ratio = byReplicaRatio && release.strategy === 'canary' ? canaryReplicas(props.replicas ?? 1, release.weight) : undefined;

    const versions: Record<string, ReleaseVersion> = {};
    for (const version of names) {
      const settings = props.versions[version];
      versions[version] = new ReleaseVersion(this, version, {
        appName: this.name,
        version,
        pod: pods[version],
        labels,
        annotations: props.annotations,
        podAnnotations: props.podAnnotations,
        ports,
        replicas: ratio && release.strategy === 'canary' ? (version === release.canary ? ratio.canary : ratio.stable) : settings.replicas ?? props.replicas,
        rollout: props.rollout,
        spreadAcrossNodes: props.spreadAcrossNodes,
        disruptionBudget: settings.disruptionBudget,
        autoscaling: settings.autoscaling,
        connections: this.connections,
      });
    }
    this.versions = versions;
    this.activeVersion = release.strategy === 'canary' ? release.stable : release.active;

    const built = new WebFront(this, 'Front', {
      plan: front!,
      target: ratio ? this : versions[this.activeVersion],
      canaryTarget: release.strategy === 'canary' ? versions[release.canary] : undefined,
      labels,
      connections: this.connections,
    });
    this.service = built.service;
    this.servicePort = built.servicePort;
    this.ingress = built.ingress;
    this.canaryService = built.canaryService;
    this.canaryIngress = built.canaryIngress;
    this.httpRoute = built.route;

    const services: Record<string, ApiObject> = {};
    for (const { id: serviceId, serviceName, version } of versionServices) {
      services[version] = buildService(this, serviceId, clusterService(front!.service, serviceName), versions[version], labels, this.connections).service;
    }
    if (release.strategy === 'blue-green') this.previewService = Object.values(services)[0];
    this.versionServices = release.strategy === 'rainbow' ? services : {};
    this.protect(props);
  }

  /** `host:port` of the app's Service inside the cluster, e.g. `backend-service.default.svc.cluster.local:40001`. */
  public serviceAddress(clusterDomain = 'cluster.local'): string {
    return `${this.service.name}.${this.namespace}.svc.${clusterDomain}:${this.servicePort}`;
  }
}

/** The version's container and pod settings: the app's, with the version's over them (env merged by name). */
function podOf(props: ReleasedWebAppProps, settings: ReleaseVersionSettings): PodTemplateProps {
  const { replicas, disruptionBudget, autoscaling, ...container } = settings;
  const given = Object.fromEntries(Object.entries(container).filter(([, value]) => value !== undefined)) as Partial<ContainerProps>;
  const env = props.env || settings.env ? { ...props.env, ...settings.env } : undefined;
  return { ...props, ...given, image: settings.image, env };
}

/** The checks of one version's settings, whose problems {@link withVersionField} names by the version. */
function checkVersion(scope: IConstruct, props: ReleasedWebAppProps, version: string, pod: PodTemplateProps, ports: readonly ContainerPort[]): void {
  const settings = props.versions[version];
  checkAll(scope, [
    () => checkPodTemplate(scope, { container: pod, defaults: WEB_APP_DEFAULTS, ports, containerName: props.name }),
    () => settings.replicas !== undefined && checkInteger(scope, 'replicas', settings.replicas, 0),
    () => settings.disruptionBudget && checkDisruptionBudget(scope, settings.disruptionBudget),
    () => settings.autoscaling && checkHpaPolicy(scope, {
      ...settings.autoscaling, target: { name: `${props.name}-${version}`, containerRequests: webContainerRequests(pod) },
    }, 'autoscaling.'),
  ]);
}

/** Runs `check` and names the version in the field of each problem: `versions.blue.image`. */
function withVersionField(version: string, check: () => unknown): () => void {
  return () => {
    try {
      check();
    } catch (error) {
      if (!(error instanceof PropsError)) throw error;
      throw new PropsError(error.path, error.problems.map((problem): PropProblem => ({ ...problem, field: `versions.${version}.${problem.field}` })));
    }
  };
}

/** The front's canary: its weight and router, for a canary release routed by ingress-nginx or the Gateway API. */
function canaryOf(release: ReleaseStrategy | undefined): CanaryFrontInput | undefined {
  if (release?.strategy !== 'canary') return undefined;
  const router = release.router;
  if (router?.kind === 'ingress-nginx') return { weight: release.weight, router: 'ingress-nginx', routerField: 'release.router' };
  if (router?.kind === 'http-route') return { weight: release.weight, router: 'http-route', route: router, routerField: 'release.router' };
  return undefined;
}

/** A ClusterIP Service of one version besides the app's Service: blue/green's preview, rainbow's one per version. */
interface VersionService {
  readonly id: string;
  readonly serviceName: string;
  readonly version: string;
  /** What a name too long for it is reported as. */
  readonly field: string;
}

function versionServicesOf(name: string, names: readonly string[], release: ReleaseStrategy | undefined): VersionService[] {
  if (release?.strategy === 'blue-green') {
    const preview = names.find((version) => version !== release.active);
    return preview === undefined ? [] : [{ id: 'PreviewService', serviceName: `${name}-preview-service`, version: preview, field: 'name (as "<name>-preview-service")' }];
  }
  if (release?.strategy === 'rainbow') {
    return names.map((version) => ({
      id: `${version}Service`, serviceName: `${name}-${version}-service`, version, field: `versions key "${version}" (as "<name>-<version>-service")`,
    }));
  }
  return [];
}

function checkVersionName(scope: IConstruct, name: string, version: string): void {
  checkDns1123Label(scope, 'versions key', version);
  // The longest object name a version gets; it is also a pod name prefix, hence a label.
  checkDns1123Label(scope, `versions key "${version}" (as "<name>-<version>-deployment")`, `${name}-${version}-deployment`);
}

function checkStrategy(scope: IConstruct, props: ReleasedWebAppProps, names: readonly string[]): void {
  const release = props.release;
  if (typeof release !== 'object' || release === null || !STRATEGIES.includes(release.strategy)) {
    throw invalidProp(scope, 'release.strategy', (release as { strategy?: unknown } | undefined)?.strategy, `must be one of ${STRATEGIES.map((s) => JSON.stringify(s)).join(', ')}`);
  }
  const versionNamed = (field: string, value: unknown) => {
    if (typeof value !== 'string' || !names.includes(value)) {
      throw invalidProp(scope, field, value, `must name one of the versions (${names.join(', ') || 'none'})`);
    }
  };
  if (release.strategy !== 'canary') {
    checkAll(scope, [
      () => versionNamed('release.active', release.active),
      () => {
        if (release.strategy === 'blue-green' && names.length > 2) {
          throw invalidProp(scope, 'versions', names, 'blue/green keeps at most two versions, the active one and one preview; use the rainbow strategy for more');
        }
      },
    ]);
    return;
  }
  const router = release.router?.kind ?? 'replica-ratio';
  checkAll(scope, [
    () => versionNamed('release.stable', release.stable),
    () => {
      versionNamed('release.canary', release.canary);
      if (release.canary === release.stable) throw invalidProp(scope, 'release.canary', release.canary, 'must differ from release.stable');
    },
    () => {
      const others = names.filter((version) => version !== release.stable && version !== release.canary);
      if (others.length) throw invalidProp(scope, 'versions', names, 'a canary release has exactly two versions, the stable and the canary one; remove the others');
    },
    () => checkInteger(scope, 'release.weight', release.weight, 0, 100),
    () => {
      if (!ROUTERS.includes(router)) throw invalidProp(scope, 'release.router.kind', router, `must be one of ${ROUTERS.map((r) => JSON.stringify(r)).join(', ')}`);
    },
    ...(router === 'replica-ratio' ? replicaRatioChecks(scope, props, names, release) : []),
  ]);
}

function replicaRatioChecks(scope: IConstruct, props: ReleasedWebAppProps, names: readonly string[], release: CanaryRelease): (() => unknown)[] {
  return [
    ...names.flatMap((version) => (['replicas', 'autoscaling'] as const).map((field) => () => {
      if (props.versions[version][field] !== undefined) {
        throw invalidProp(scope, `versions.${version}.${field}`, props.versions[version][field],
          'must be left out for a canary by replica ratio: the app\'s `replicas` are split between the versions by the weight'
          + (field === 'autoscaling' ? ', which an autoscaler would undo' : ''));
      }
    })),
    () => {
      const total = props.replicas ?? 1;
      if (!Number.isInteger(release.weight) || !Number.isInteger(total) || total < 1) return; // reported by their own checks, or below
      if ((total * release.weight) % 100 !== 0) {
        const possible = Array.from({ length: total + 1 }, (_, k) => (k * 100) / total).filter(Number.isInteger);
        throw invalidProp(scope, 'release.weight', release.weight,
          `cannot be made with ${total} replicas (the app's \`replicas\`, shared by both versions): with ${total} the weight can be ${possible.join(', ')}; `
          + 'change the weight or the replicas, or route with ingress-nginx');
      }
    },
    () => {
      if ((props.replicas ?? 1) < 1) throw invalidProp(scope, 'replicas', props.replicas ?? 1, 'must be at least 1 for a canary by replica ratio');
    },
  ];
}

function canaryReplicas(total: number, weight: number): { stable: number; canary: number } {
  const canary = (total * weight) / 100;
  return { stable: total - canary, canary };
}
