import { ApiObject, Lazy } from 'cdk8s';
import { k8s, ServiceType } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { checkDisruptionBudget, WorkloadDisruptionBudget } from './disruption-budget';
import { ProtectionProps } from './protection';
import {
  APP_CONTAINER_DEFAULTS, buildPodTemplate, checkPodTemplate, ContainerDefaults, ContainerPort, mergeResources, PodTemplateProps, ResourceList,
} from './pod-template';
import {
  checkAbsolutePath, checkAll, checkDns1035Label, checkDns1123Label, checkDns1123Subdomain, checkInteger, checkPort, checkPortName, checkPositiveQuantity,
  detachOnError, extraPortChecks, invalidProp,
} from './props';
import { buildService, planService, ServicePlan } from './service';
import { checkWorkloadName, IAutoscalable, WorkloadBase, workloadMetadataChecks, WorkloadMetadataProps } from './workload';
import { createJsonFormObject, quantityValue } from './json-form';

/** A persistent volume per pod, from a volumeClaimTemplate. */
export interface VolumeClaimProps {
  /** Name of the claim template; each pod's claim is `<name>-<statefulset>-<ordinal>`. */
  readonly name: string;
  /** Where the volume is mounted in the container. */
  readonly mountPath: string;
  /** Requested size, e.g. `100Mi`. */
  readonly storage: string;
  /** Storage class. @default - the cluster's default class */
  readonly storageClassName?: string;
  /** @default ['ReadWriteOnce'] */
  readonly accessModes?: readonly string[];
}

/** Props of a {@link StatefulApp}. */
export interface StatefulAppProps extends PodTemplateProps, WorkloadMetadataProps, ProtectionProps {
  /**
   * Base name: `<name>-statefulset` and its headless `<name>-service`; also the `app.kubernetes.io/name`
   * label. At most 40 characters, so that the pods' `controller-revision-hash` label fits.
   */
  readonly name: string;
  /**
   * The exact name of the headless Service, e.g. the host name clients already use (`mongo` for a
   * compose service; with one replica it resolves to the pod's address): a DNS-1035 label.
   * @default `<name>-service`
   */
  readonly serviceName?: string;
  /** Port the container listens on. */
  readonly port: number;
  /** Name of the container port. @default 'tcp' */
  readonly portName?: string;
  /**
   * More ports the container listens on: each is on the Service under its own number and name,
   * and `connections.allowFrom(client)` without ports admits them. @default - none
   */
  readonly extraPorts?: readonly ContainerPort[];
  /**
   * Container ports published outside the cluster (compose's `ports: ["5432:5432"]`): a NodePort
   * Service of their own, `<service name>-nodeport`, beside the headless Service (which cannot be a
   * NodePort), and the NetworkPolicy admits every IPv4 address (`Peer.ipBlock('0.0.0.0/0')`) on them,
   * as a WebApp's NodePort or LoadBalancer `serviceType` does. Kubernetes assigns the node ports.
   * @default - none: the pods are reached from inside the cluster only
   */
  readonly nodePorts?: readonly number[];
  /** @default 1 */
  readonly replicas?: number;
  /** Persistent volumes, one set per pod. @default - none */
  readonly volumeClaims?: readonly VolumeClaimProps[];
  /** DNS domain of the cluster, for the pods' stable names. @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** Defaults for the fields left out (used by presets such as MongoStatefulSet). @default - WebApp's defaults */
  readonly defaults?: ContainerDefaults;
  /**
   * A preset's checks of its own props, run with the StatefulApp's, so that every bad prop is reported at once.
   * @internal
   */
  readonly presetChecks?: readonly ((scope: IConstruct) => unknown)[];
}

/**
 * What presets built on StatefulApp (MongoStatefulSet, RedisStatefulSet) pass through: every
 * container prop, made optional because the preset supplies image, port and volumes, and the
 * workload-level props.
 */
export interface StatefulPresetProps extends Partial<PodTemplateProps>, Pick<StatefulAppProps,
'labels' | 'annotations' | 'podAnnotations' | 'networkPolicy' | 'clusterDomain' | 'disruptionBudget' | 'serviceName' | 'nodePorts'> {}

const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

/** `<name>-statefulset-<revision hash>` must fit a 63-character label value: 40 + 12 + 11. */
const MAX_NAME_LENGTH = 40;

/** Defaults of a stateful container: the shared application defaults. */
export const STATEFUL_APP_DEFAULTS: ContainerDefaults = APP_CONTAINER_DEFAULTS;

/**
 * A StatefulSet with its headless governing Service and per-pod persistent volumes, without
 * autoscaling: the base of {@link StatefulApp}, which an HpaPolicy can scale, and of presets that
 * cannot be scaled out (MongoStatefulSet, RedisStatefulSet), which are therefore no
 * {@link IAutoscalable}. Each pod has a stable DNS name ({@link podDnsName}) that clients can be wired to.
 */
@detachOnError
export abstract class StatefulAppBase extends WorkloadBase {
  public readonly statefulSet: ApiObject;
  /** The headless governing Service. */
  public readonly service: ApiObject;
  /** The NodePort Service of the published ports (`nodePorts`), when there are any. */
  public readonly nodePortService?: ApiObject;
  public readonly disruptionBudget?: WorkloadDisruptionBudget;
  public readonly containerRequests: readonly ResourceList[];
  public readonly scaleTargetRef: { readonly apiVersion: string; readonly kind: string; readonly name: string };
  public readonly replicas: number;
  private readonly clusterDomain: string;

  constructor(scope: Construct, id: string, props: StatefulAppProps) {
    const portName = props.portName ?? 'tcp';
    const ports = [{ name: portName, port: props.port }, ...props.extraPorts ?? []];
    super(scope, id, { ...props, containerPorts: ports });
    const defaults = props.defaults ?? STATEFUL_APP_DEFAULTS;
    const claimMounts = (props.volumeClaims ?? []).map((claim) => ({ name: claim.name, mountPath: claim.mountPath }));
    let service: ServicePlan | undefined;
    let published: ServicePlan | undefined;
    checkAll(this, [
      () => {
        checkWorkloadName(this, props.name);
        if (props.name.length > MAX_NAME_LENGTH) {
          throw invalidProp(this, 'name', props.name, `must be at most ${MAX_NAME_LENGTH} characters: the StatefulSet controller labels each pod `
            + '"controller-revision-hash: <name>-statefulset-<hash of up to 10 characters>", and a longer label value (over 63) means no pod is created');
        }
      },
      () => checkInteger(this, 'replicas', props.replicas ?? 1, 0),
      () => checkPort(this, 'port', props.port),
      () => checkPortName(this, 'portName', portName),
      ...extraPortChecks(this, ports),
      () => checkDns1123Subdomain(this, 'clusterDomain', props.clusterDomain ?? 'cluster.local'),
      ...workloadMetadataChecks(this, props.name, props),
      ...(props.volumeClaims ?? []).map((claim) => () => this.toClaimTemplate(claim)),
      () => checkPodTemplate(this, { container: props, defaults, ports, claimMounts, containerName: props.name }),
      () => {
        service = planService(this, { name: props.name, serviceName: props.serviceName, headless: true, target: this }, { nameChecked: true });
        published = nodePortPlan(this, service, props.nodePorts);
      },
      () => props.disruptionBudget && checkDisruptionBudget(this, props.disruptionBudget),
      ...(props.presetChecks ?? []).map((check) => () => check(this)),
    ]);
    const statefulSetName = `${this.name}-statefulset`;
    this.replicas = props.replicas ?? 1;
    this.clusterDomain = props.clusterDomain ?? 'cluster.local';
    // No labels on the claim templates: they cannot change on a StatefulSet, so labels added there
    // would refuse every upgrade of an existing one; the controller labels each claim with the
    // StatefulSet's selector (app.kubernetes.io/name) by itself.
    const claims = (props.volumeClaims ?? []).map((claim) => this.toClaimTemplate(claim));

    this.containerRequests = [mergeResources(defaults.resources, props.resources).requests ?? {}];
    this.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: statefulSetName };
    const labels = this.labels;

    this.service = buildService(this, 'Service', service!, this, labels, this.connections).service;
    if (published) this.nodePortService = buildService(this, 'NodePortService', published, this, labels, this.connections).service;
    const template = buildPodTemplate(this, {
      containerName: this.name,
      container: props,
      defaults,
      labels,
      annotations: props.podAnnotations,
      ports: this.containerPorts,
      claimMounts,
    });
    const replicas = this.replicasUnlessAutoscaled(this.replicas);
    this.statefulSet = createJsonFormObject(k8s.KubeStatefulSet, this, 'StatefulSet', {
      metadata: this.objectMetadata(statefulSetName),
      spec: {
        serviceName: this.service.name,
        replicas: Lazy.any({ produce: replicas }),
        selector: { matchLabels: { ...this.selectorLabels } },
        template,
        volumeClaimTemplates: claims.length ? claims : undefined,
      },
    });
    this.disruptionBudget = this.protect(props, replicas);
  }

  /** The stable DNS name of pod `ordinal`: `<statefulset>-<n>.<service>.<namespace>.svc.<cluster domain>`. */
  public podDnsName(ordinal = 0): string {
    if (!Number.isInteger(ordinal) || ordinal < 0 || (!this.isAutoscaled && ordinal >= this.replicas)) {
      throw invalidProp(this, 'podDnsName ordinal', ordinal, `must be an integer from 0 to ${this.replicas - 1} (the StatefulSet has ${this.replicas} replicas)`);
    }
    return `${this.statefulSet.name}-${ordinal}.${this.service.name}.${this.namespace}.svc.${this.clusterDomain}`;
  }

  /** `host:port` of pod `ordinal`, for clients. */
  public podAddress(ordinal = 0): string {
    return `${this.podDnsName(ordinal)}:${this.containerPorts[0].port}`;
  }

  private toClaimTemplate(claim: VolumeClaimProps): k8s.KubePersistentVolumeClaimProps {
    const accessModes = claim.accessModes ?? ['ReadWriteOnce'];
    checkAll(this, [
      () => checkDns1123Label(this, 'volumeClaims[].name', claim.name),
      () => checkAbsolutePath(this, 'volumeClaims[].mountPath', claim.mountPath),
      () => checkPositiveQuantity(this, 'volumeClaims[].storage', claim.storage, '"100Mi" or "10Gi"'),
      () => claim.storageClassName !== undefined && checkDns1123Subdomain(this, 'volumeClaims[].storageClassName', claim.storageClassName),
      ...accessModes.map((mode) => () => {
        if (!ACCESS_MODES.includes(mode)) throw invalidProp(this, 'volumeClaims[].accessModes[]', mode, `must be one of ${ACCESS_MODES.join(', ')}`);
      }),
    ]);
    return {
      metadata: { name: claim.name },
      spec: {
        accessModes: [...accessModes],
        storageClassName: claim.storageClassName,
        resources: { requests: { storage: quantityValue(claim.storage) } },
      },
    };
  }
}

/**
 * The NodePort Service of `nodePorts`, named after the headless Service: each a distinct port the
 * pods declare, the first one served on its number and the others beside it.
 */
function nodePortPlan(scope: IConstruct, headless: ServicePlan, nodePorts: readonly number[] | undefined): ServicePlan | undefined {
  if (nodePorts === undefined) return undefined;
  const ports = [headless.served, ...headless.others];
  const problems: (() => unknown)[] = [
    () => {
      if (!Array.isArray(nodePorts) || !nodePorts.length) throw invalidProp(scope, 'nodePorts', nodePorts, 'must list at least one container port; leave it out to publish none');
    },
    ...(Array.isArray(nodePorts) ? nodePorts : []).map((port, i) => () => {
      if (!ports.some((p) => p.port === port)) {
        throw invalidProp(scope, `nodePorts[${i}]`, port, `must be a port the pods declare (${ports.map((p) => `${p.name}=${p.port}`).join(', ')})`);
      }
      if (nodePorts.indexOf(port) !== i) throw invalidProp(scope, `nodePorts[${i}]`, port, 'is listed twice');
    }),
    () => checkDns1035Label(scope, 'nodePorts Service name (as "<service name>-nodeport")', `${headless.serviceName}-nodeport`),
  ];
  checkAll(scope, problems);
  const [served, ...others] = nodePorts.map((port) => ports.find((p) => p.port === port)!);
  return { serviceName: `${headless.serviceName}-nodeport`, port: served.port, served, others, type: ServiceType.NODE_PORT, headless: false };
}

/**
 * A StatefulSet with its headless governing Service and per-pod persistent volumes, which an
 * HpaPolicy can scale. Each pod has a stable DNS name ({@link podDnsName}) that clients can be wired to.
 */
export class StatefulApp extends StatefulAppBase implements IAutoscalable {
  public releaseReplicasToAutoscaler(): void {
    this.releaseReplicas();
  }
}
