import * as path from 'path';
import { ImagePullPolicy, ServiceType } from 'cdk8s-plus-27';
import { HpaPolicyProps, ReleaseStrategy, ReleaseVersionSettings, ResourceProps, RolloutProps } from '../../lib';
import { GatewayRef } from '../../lib/constructs/http-route';
import { GatewayDataPlaneProps } from '../../lib/constructs/peer';
import { UsageError } from '../../lib/cli/command';

/** The five components of the habr demo. */
export type Component = 'backend' | 'worker' | 'frontend' | 'mongo' | 'redis';

/** Autoscaling of one Deployment (an `autoscaling/v2` HPA). */
export type AutoscalingSettings = Omit<HpaPolicyProps, 'target'>;

/** A component released in versions (see ReleasedWebApp): which versions run, and which gets the traffic. */
export interface ReleaseSettings {
  /**
   * Blue/green (`active`), rainbow (`active`) or canary (`stable`, `canary`, `weight`): the line a
   * release changes. A canary without a `router` is split by the stage's front: the ingress-nginx
   * canary Ingress, or the weights of the Gateway API route.
   */
  readonly release: ReleaseStrategy;
  /** The versions by name; each runs its own image (it replaces `images.<component>`). */
  readonly versions: Readonly<Record<string, Pick<ReleaseVersionSettings, 'image' | 'env' | 'replicas' | 'resources'>>>;
}

/** TLS on the Ingress hosts (a Gateway front terminates TLS at the Gateway's listener instead). */
export interface TlsSettings {
  /** Secret per host: `<app>-tls`, created beforehand or issued by cert-manager. */
  readonly secretSuffix: string;
  /** cert-manager ClusterIssuer that issues the certificates through the Ingress annotation. @default - the Secrets exist already */
  readonly clusterIssuer?: string;
}

/** The public hosts through an ingress controller: an Ingress per host, as the article deploys them on minikube. */
export interface IngressFrontSettings {
  readonly kind: 'ingress';
  readonly ingressClassName: string;
  /** Namespace of the ingress controller's pods, which the NetworkPolicies admit to frontend and backend. */
  readonly controllerNamespace: string;
  /** Annotations on both Ingresses. */
  readonly annotations: Readonly<Record<string, string>>;
  /** @default - plain HTTP */
  readonly tls?: TlsSettings;
}

/**
 * The public hosts through the Gateway API: an HTTPRoute per host, attached to a Gateway the
 * platform team runs. TLS terminates at the Gateway's listener, whose certificate is the
 * platform's (cert-manager issues it from an annotation on their Gateway).
 */
export interface GatewayFrontSettings {
  readonly kind: 'gateway';
  /** The Gateway, in its own namespace, and the listener the routes attach to. */
  readonly gateway: GatewayRef & { readonly namespace: string };
  /** The Gateway's data plane (its proxy pods), which the NetworkPolicies admit to frontend and backend. */
  readonly dataPlane: GatewayDataPlaneProps;
  /** Redirect `www.<host>` to each public host, as ingress-nginx's `from-to-www-redirect` annotation does. */
  readonly redirectFromWww: boolean;
}

/** Everything that differs between stages, in one typed place. */
export interface StageConfig {
  /** Stage name; it selects the output folder (`dist/` for dev, `dist/<name>/` otherwise). */
  readonly name: string;
  /** The images hard-code `default` in their peers' host names (see the app contract). */
  readonly namespace: 'default';
  /** Image reference per component. */
  readonly images: Readonly<Record<Component, string>>;
  /** Pull policy for the app images (`Never` for images built inside minikube). */
  readonly appImagePullPolicy: ImagePullPolicy;
  /** Refuse `latest` and untagged images. */
  readonly requirePinnedImages: boolean;
  /** Type of the frontend and backend Services. */
  readonly serviceType: ServiceType;
  /** The public host names of frontend and backend. */
  readonly hosts: { readonly frontend: string; readonly backend: string };
  /** What routes the public hosts to the frontend and backend Services. */
  readonly front: IngressFrontSettings | GatewayFrontSettings;
  /** Replicas of the Deployments that are not autoscaled. */
  readonly replicas: { readonly backend: number; readonly frontend: number; readonly worker: number };
  /** Autoscaled Deployments. @default - none */
  readonly autoscaling?: { readonly backend?: AutoscalingSettings; readonly frontend?: AutoscalingSettings };
  /** PodDisruptionBudgets and spreading over nodes for every multi-replica workload. */
  readonly highAvailability: boolean;
  /** Rolling-update settings per Deployment. @default - Kubernetes' */
  readonly rollout?: { readonly backend?: RolloutProps; readonly frontend?: RolloutProps; readonly worker?: RolloutProps };
  /** Resource overrides per component. @default - the constructs' defaults */
  readonly resources?: Partial<Readonly<Record<Component, ResourceProps>>>;
  /** Size of Mongo's data volume (the article asks for 100Mi). */
  readonly mongoStorage: string;
  /** Size of Redis' data volume, so the task queue survives a restart. @default - an emptyDir (lost with the pod) */
  readonly redisStorage?: string;
  /** Run the Job that loads the article's test content (demo cards). */
  readonly seedTestContent: boolean;
  /** @default - the cluster's default storage class */
  readonly storageClassName?: string;
  /**
   * Backend and frontend in versions, each with its own Deployment (autoscaled and budgeted like the
   * component); the Services keep their names and move between the versions.
   * @default - one Deployment per component
   */
  readonly releases?: { readonly backend?: ReleaseSettings; readonly frontend?: ReleaseSettings };
}

const DEV_IMAGE_REPOSITORY = 'docker.io/habr-app-demo';

/** minikube, exactly as the article deploys it (images built locally, NodePort Services). */
export const DEV: StageConfig = {
  name: 'dev',
  namespace: 'default',
  images: {
    backend: `${DEV_IMAGE_REPOSITORY}/backend:latest`,
    worker: `${DEV_IMAGE_REPOSITORY}/worker:latest`,
    frontend: `${DEV_IMAGE_REPOSITORY}/frontend:latest`,
    mongo: 'mongo:6.0.6',
    redis: 'redis:7.0.11-alpine',
  },
  appImagePullPolicy: ImagePullPolicy.NEVER,
  requirePinnedImages: false,
  serviceType: ServiceType.NODE_PORT,
  hosts: { frontend: 'frontend.localhost', backend: 'backend.localhost' },
  front: {
    kind: 'ingress',
    ingressClassName: 'nginx',
    controllerNamespace: 'ingress-nginx',
    annotations: { 'nginx.ingress.kubernetes.io/from-to-www-redirect': 'true' },
  },
  replicas: { backend: 2, frontend: 2, worker: 2 },
  highAvailability: false,
  mongoStorage: '100Mi',
  seedTestContent: true,
  releases: {
    // A canary split by the front, here ingress-nginx: frontend.localhost keeps its Ingress to
    // frontend-service (v1); a canary Ingress on the same host sends `weight` percent of the
    // requests to v2, which runs an image of its own, built into minikube like `latest` (docs/demo.md).
    frontend: {
      release: { strategy: 'canary', stable: 'v1', canary: 'v2', weight: 20 },
      versions: {
        v1: { image: `${DEV_IMAGE_REPOSITORY}/frontend:latest` },
        v2: { image: `${DEV_IMAGE_REPOSITORY}/frontend:v2`, replicas: 1 },
      },
    },
  },
};

const PROD_REGISTRY = 'registry.digitalocean.com/habr-app-demo';
const PROD_RELEASE = '1.0.0';
/** The next release, deployed beside the current one as the `green` versions of backend and frontend. */
const PROD_NEXT_RELEASE = '1.1.0';

/** A real cluster: pinned images from a registry, HTTPRoutes through the platform's Gateway (TLS there), autoscaling, disruption budgets. */
export const PROD: StageConfig = {
  name: 'prod',
  namespace: 'default',
  images: {
    backend: `${PROD_REGISTRY}/backend:${PROD_RELEASE}`,
    worker: `${PROD_REGISTRY}/worker:${PROD_RELEASE}`,
    frontend: `${PROD_REGISTRY}/frontend:${PROD_RELEASE}`,
    mongo: 'mongo:6.0.6',
    redis: 'redis:7.0.11-alpine',
  },
  appImagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
  requirePinnedImages: true,
  serviceType: ServiceType.CLUSTER_IP,
  hosts: { frontend: 'habr-demo.example.com', backend: 'api.habr-demo.example.com' },
  // ingress-nginx was retired in March 2026: prod routes through the platform's Gateway, whose
  // `https` listener terminates TLS for both hosts (see docs/gateway-api-migration.md).
  front: {
    kind: 'gateway',
    gateway: { name: 'public', namespace: 'gateway-system', sectionName: 'https' },
    dataPlane: { namespace: 'gateway-system', podLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } },
    redirectFromWww: true,
  },
  replicas: { backend: 2, frontend: 2, worker: 2 },
  autoscaling: {
    backend: { minReplicas: 2, maxReplicas: 20, cpuUtilization: 75, memoryAverageValue: '400Mi' },
    frontend: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 75 },
  },
  highAvailability: true,
  rollout: {
    backend: { maxUnavailable: '10%', maxSurge: '50%' },
    frontend: { maxUnavailable: '10%', maxSurge: '50%' },
    worker: { maxUnavailable: 0, maxSurge: 1 },
  },
  mongoStorage: '10Gi',
  redisStorage: '1Gi',
  seedTestContent: false,
  releases: {
    // Blue/green: `active` is the one line a release changes (and a rollback changes back).
    backend: {
      release: { strategy: 'blue-green', active: 'blue' },
      versions: {
        blue: { image: `${PROD_REGISTRY}/backend:${PROD_RELEASE}` },
        green: { image: `${PROD_REGISTRY}/backend:${PROD_NEXT_RELEASE}` },
      },
    },
    frontend: {
      release: { strategy: 'blue-green', active: 'blue' },
      versions: {
        blue: { image: `${PROD_REGISTRY}/frontend:${PROD_RELEASE}` },
        green: { image: `${PROD_REGISTRY}/frontend:${PROD_NEXT_RELEASE}` },
      },
    },
  },
};

export const STAGES: Readonly<Record<string, StageConfig>> = { dev: DEV, prod: PROD };

/** The stage called `name`, or an error listing the stages there are. */
export function stageNamed(name: string): StageConfig {
  const stage = STAGES[name];
  if (!stage) throw new UsageError(`unknown stage ${JSON.stringify(name)}: set STAGE (habr-k8s synth --stage NAME) to one of ${Object.keys(STAGES).join(', ')}`);
  return stage;
}

/** Where a stage's manifests go: `dist/` for dev (what `kubectl apply -f dist` reads), `dist/<stage>/` otherwise. */
export function outputFolder(stage: string, root = 'dist'): string {
  return stage === 'dev' ? root : path.join(root, stage);
}

/** Where synth writes a stage's architecture diagram. */
export function diagramFile(stage: string, root = 'docs'): string {
  return path.join(root, stage === 'dev' ? 'architecture.md' : `architecture-${stage}.md`);
}
