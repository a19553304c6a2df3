import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  BatchJob, declareExternalObject, HpaPolicy, MongoStatefulSet, Peer, ProbeProps, RedisStatefulSet, ReleasedWebApp,
  ReleaseStrategy, ResourceProps, RestrictedNamespace, WebApp, WebAppProps,
} from '../../lib';
import { CERT_MANAGER_CLUSTER_ISSUER_ANNOTATION } from '../../lib/constructs/https-gateway';
import { PART_OF_LABEL } from '../../lib/constructs/labels';
import { checkPinnedImage } from '../../lib/constructs/props';
import { expectContract, HABR_IMAGE_CONTRACT as CONTRACT } from './contract';
import { AutoscalingSettings, Component, StageConfig } from './stages';

/** The application every object is `app.kubernetes.io/part-of` (and, one installation per namespace, its `instance`); also the Helm chart's name. */
export const APP_NAME = 'habr';

const TCP_READINESS: ProbeProps = { tcpSocket: {}, periodSeconds: 5, failureThreshold: 3 };
const TCP_LIVENESS: ProbeProps = { tcpSocket: {}, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 };
/** gunicorn with gevent and the Python app: the backend and the seed Job run the same image. */
const BACKEND_RESOURCES: ResourceProps = { requests: { cpu: '100m', memory: '192Mi' }, limits: { memory: '512Mi' } };

/**
 * The habr demo: mongo, redis, backend, worker and frontend, one chart each after a platform
 * chart (the namespace, held to the restricted Pod Security Standard, with default-deny
 * ingress and egress policies), wired through the constructs' addresses and declared connections; where the
 * stage asks for it, a last chart seeds the test content.
 */
export class HabrStack {
  public readonly charts: readonly Chart[];
  public readonly mongo: MongoStatefulSet;
  public readonly redis: RedisStatefulSet;
  /** A WebApp, or a ReleasedWebApp when the stage releases the backend in versions. */
  public readonly backend: WebApp | ReleasedWebApp;
  public readonly worker: WebApp;
  /** A WebApp, or a ReleasedWebApp when the stage releases the frontend in versions. */
  public readonly frontend: WebApp | ReleasedWebApp;
  /** Loads the article's test content once (`python -m tools.add_test_content` in the backend image), if the stage asks. */
  public readonly seed?: BatchJob;

  constructor(app: App, private readonly stage: StageConfig) {
    const namespace = stage.namespace;
    // Without a namespace the objects land in kubectl's current one, while every address below would still say `default`.
    expectContract('the namespace', String(namespace), CONTRACT.namespace);
    // Chart labels: cdk8s puts them on every object, the constructs also on pod and claim templates.
    const labels = { [PART_OF_LABEL]: APP_NAME };
    const platform = new Chart(app, 'platform', { labels });
    new RestrictedNamespace(platform, 'Namespace', { name: namespace });

    const chart = (id: string, ...dependencies: Chart[]) => {
      const c = new Chart(app, id, { namespace, labels, disableResourceNameHashes: true });
      c.addDependency(platform, ...dependencies);
      return c;
    };
    const mongoChart = chart('mongo');
    const redisChart = chart('redis');
    const backendChart = chart('backend', mongoChart, redisChart);
    const workerChart = chart('worker', mongoChart, redisChart);
    const frontendChart = chart('frontend', backendChart);
    const seedChart = stage.seedTestContent ? chart('seed', backendChart) : undefined;
    this.charts = [platform, mongoChart, redisChart, backendChart, workerChart, frontendChart, ...(seedChart ? [seedChart] : [])];

    this.mongo = new MongoStatefulSet(mongoChart, 'Mongo', {
      image: this.image(mongoChart, 'mongo'),
      rootUsername: CONTRACT.mongoRootUsername,
      passwordSecret: CONTRACT.passwordSecret,
      storage: stage.mongoStorage,
      storageClassName: stage.storageClassName,
      resources: stage.resources?.mongo,
    });
    this.redis = new RedisStatefulSet(redisChart, 'Redis', {
      image: this.image(redisChart, 'redis'),
      storage: stage.redisStorage,
      storageClassName: stage.redisStorage ? stage.storageClassName : undefined,
      resources: stage.resources?.redis,
    });
    expectContract('the Mongo address', this.mongo.podAddress(0), CONTRACT.mongoAddress);
    expectContract('the Redis address', this.redis.podAddress(0), CONTRACT.redisAddress);

    const databaseClient = {
      imagePullPolicy: stage.appImagePullPolicy,
      env: { APP_ENV: CONTRACT.appEnvWithSecrets },
      secretMounts: [this.mongo.passwordSecretMount],
    };
    const front = stage.front;
    // The public host of a component: its Ingress or its HTTPRoute, which admit the controller's pods or the Gateway's data plane themselves.
    const publicFront = (host: string, app: string): Pick<WebAppProps, 'ingress' | 'route'> => (front.kind === 'ingress' ? {
      ingress: {
        host,
        ingressClassName: front.ingressClassName,
        annotations: {
          ...front.annotations,
          ...(front.tls?.clusterIssuer ? { [CERT_MANAGER_CLUSTER_ISSUER_ANNOTATION]: front.tls.clusterIssuer } : {}),
        },
        tls: front.tls ? { secretName: `${app}-${front.tls.secretSuffix}` } : undefined,
        controller: Peer.ingressController(front.controllerNamespace),
      },
    } : {
      route: { gateways: [front.gateway], hostnames: [host], dataPlane: Peer.gatewayDataPlane(front.dataPlane), redirectFromWww: front.redirectFromWww },
    });

    this.backend = this.releasable(backendChart, 'Backend', 'backend', {
      ...databaseClient,
      name: 'backend',
      port: CONTRACT.backendPort,
      serviceType: stage.serviceType,
      ...publicFront(stage.hosts.backend, 'backend'),
      // gunicorn has no health endpoint (every path but /api/v1/card/… is a 404): TCP is all it offers.
      readiness: TCP_READINESS,
      liveness: TCP_LIVENESS,
      resources: stage.resources?.backend ?? BACKEND_RESOURCES,
    });
    expectContract('the backend address', this.backend.serviceAddress(), CONTRACT.backendAddress);

    this.worker = new WebApp(workerChart, 'Worker', {
      ...databaseClient,
      ...this.availability('worker'),
      name: 'worker',
      image: this.image(workerChart, 'worker'),
      resources: stage.resources?.worker ?? { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    });

    this.frontend = this.releasable(frontendChart, 'Frontend', 'frontend', {
      name: 'frontend',
      imagePullPolicy: stage.appImagePullPolicy,
      // The image's `npm run start` runs exactly this; started directly, node gets SIGTERM itself and
      // npm does not look for a writable home directory on the read-only root filesystem.
      command: ['node', '/app/server.js'],
      port: CONTRACT.frontendPort,
      serviceType: stage.serviceType,
      ...publicFront(stage.hosts.frontend, 'frontend'),
      env: {
        APP_ENV: CONTRACT.frontendAppEnv,
        APP_FRONTEND_PORT: String(CONTRACT.frontendPort),
        APP_BACKEND_URL: this.backend.serviceAddress(),
      },
      // Not HTTP: the frontend answers 500 while the backend is down, and restarting it would not help.
      readiness: TCP_READINESS,
      liveness: TCP_LIVENESS,
      resources: stage.resources?.frontend,
    });

    if (seedChart) {
      this.seed = new BatchJob(seedChart, 'Seed', {
        ...databaseClient,
        name: 'seed',
        image: this.image(seedChart, 'backend'),
        command: ['python', '-m', 'tools.add_test_content'],
        // Retried with a growing delay (about 10 minutes in all) until mongo accepts connections.
        backoffLimit: 6,
        resources: stage.resources?.backend ?? BACKEND_RESOURCES,
      });
    }

    this.autoscale(backendChart, this.backend, stage.autoscaling?.backend);
    this.autoscale(frontendChart, this.frontend, stage.autoscaling?.frontend);

    for (const client of [this.backend, this.worker, ...(this.seed ? [this.seed] : [])]) {
      client.connections.allowTo(this.mongo);
      client.connections.allowTo(this.redis);
    }
    this.backend.connections.allowFrom(this.frontend);

    // Created out of band (`kubectl create secret`), and by cert-manager from the Ingress annotation.
    declareExternalObject(app, { kind: 'Secret', name: CONTRACT.passwordSecret.secretName, namespace });
    if (front.kind === 'ingress' && front.tls) {
      for (const tlsApp of ['frontend', 'backend']) {
        declareExternalObject(app, { kind: 'Secret', name: `${tlsApp}-${front.tls.secretSuffix}`, namespace });
      }
    }
    // The platform team's Gateway: the routes attach to it, and the validator checks they name it.
    if (front.kind === 'gateway') declareExternalObject(app, { kind: 'Gateway', name: front.gateway.name, namespace: front.gateway.namespace });
  }

  private image(scope: Construct, component: Component): string {
    return this.pinned(scope, `images.${component}`, this.stage.images[component]);
  }

  private availability(component: 'backend' | 'worker' | 'frontend') {
    const replicas = this.stage.replicas[component];
    const ha = this.stage.highAvailability && replicas > 1;
    return {
      replicas,
      rollout: this.stage.rollout?.[component],
      disruptionBudget: ha ? { maxUnavailable: 1 } : undefined,
      spreadAcrossNodes: ha,
    };
  }

  private autoscale(scope: Construct, target: WebApp | ReleasedWebApp, settings: AutoscalingSettings | undefined): void {
    // A released component's versions are autoscaled each by its own HPA (see releasable).
    if (settings && target instanceof WebApp) new HpaPolicy(scope, `${target.node.id}Autoscaling`, { ...settings, target });
  }

  /**
   * The component as one WebApp, or, when the stage releases it in versions, as a ReleasedWebApp
   * whose versions each get the component's replicas, disruption budget and autoscaling.
   */
  private releasable(
    scope: Construct, id: string, component: 'backend' | 'frontend', props: Omit<WebAppProps, 'image'> & { port: number },
  ): WebApp | ReleasedWebApp {
    const settings = this.stage.releases?.[component];
    const { replicas, rollout, disruptionBudget, spreadAcrossNodes } = this.availability(component);
    if (!settings) return new WebApp(scope, id, { ...props, replicas, rollout, disruptionBudget, spreadAcrossNodes, image: this.image(scope, component) });
    const autoscaling = this.stage.autoscaling?.[component];
    const versions = Object.fromEntries(Object.entries(settings.versions).map(([version, given]) => [version, {
      ...given,
      image: this.pinned(scope, `releases.${component}.versions.${version}.image`, given.image),
      disruptionBudget,
      autoscaling,
    }]));
    return new ReleasedWebApp(scope, id, { ...props, replicas, rollout, spreadAcrossNodes, versions, release: this.frontRouted(settings.release) });
  }

  /** A canary that names no router is split by the stage's front: a canary Ingress, or the route's weights. */
  private frontRouted(release: ReleaseStrategy): ReleaseStrategy {
    if (release.strategy !== 'canary' || release.router) return release;
    return { ...release, router: { kind: this.stage.front.kind === 'ingress' ? 'ingress-nginx' : 'http-route' } };
  }

  private pinned(scope: Construct, field: string, image: string): string {
    return this.stage.requirePinnedImages ? checkPinnedImage(scope, `${field} (stage ${this.stage.name})`, image) : image;
  }
}
