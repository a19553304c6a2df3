/**
 * The habr stack as a Helm chart (`npm run synth:helm` → dist/helm/habr): the values are the
 * scalar knobs of a {@link StageConfig}, the profile (`prod` or `dev`) is its structure. The stack
 * is rendered once per profile with a placeholder for every knob, and each placeholder becomes a
 * `{{ .Values… }}` expression; the real stages are rendered and validated too, and their values
 * are the chart's defaults (prod) and `values-dev.yaml` (dev).
 */
import { App } from 'cdk8s';
import { ResourceProps } from '../../lib';
import { ChartOutput, helmChart, profileOf, ProfileRender } from '../../lib/render/helm/chart';
import { JsonSchema, KnobRegistry } from '../../lib/render/helm/knobs';
import { appManifests } from '../../lib/render/manifests';
import { RenderedObjects, renderObjects, SynthesisError } from '../../lib/render/synthesize';
import { KubeObject } from '../../lib/manifest/types';
import { HabrStack } from './stack';
import { AutoscalingSettings, Component, DEV, PROD, StageConfig } from './stages';

export const CHART_NAME = 'habr';
export const CHART_FOLDER = `dist/helm/${CHART_NAME}`;
/** Bumped by hand when the chart's values or templates change in a way users must notice. */
export const CHART_VERSION = '0.1.0';

const COMPONENTS: readonly Component[] = ['backend', 'worker', 'frontend', 'mongo', 'redis'];
const APP_IMAGES = ['backend', 'worker', 'frontend'] as const;
const DATA_IMAGES = ['mongo', 'redis'] as const;

/** Container resources as the chart's values hold them: every component has all three, but mongo has no memory limit knob. */
export interface ResourceValues {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits?: { readonly memory: string };
}

/**
 * Mongo's memory limit is not a knob: the construct derives `--wiredTigerCacheSizeGB` from it,
 * which a template could not recompute; the chart keeps the limit the stage renders.
 */
const FIXED_MEMORY_LIMIT: ReadonlySet<Component> = new Set(['mongo']);

export interface AutoscalingValues {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuUtilization?: number;
  readonly memoryAverageValue?: string;
}

/** The chart's values: what `values.yaml` holds and `values.schema.json` describes. */
export interface HabrValues {
  /**
   * The structure: `prod` (ClusterIP, HTTPRoutes through the platform's Gateway, HPAs, PDBs, persistent Redis)
   * or `dev` (minikube: NodePort, Ingresses, seed Job, no TLS).
   */
  readonly profile: 'prod' | 'dev';
  /** The release of the app: the tag of the backend, worker and frontend images. */
  readonly release: string;
  readonly images: {
    readonly backend: { readonly repository: string };
    readonly worker: { readonly repository: string };
    readonly frontend: { readonly repository: string };
    readonly mongo: { readonly repository: string; readonly tag: string };
    readonly redis: { readonly repository: string; readonly tag: string };
  };
  /** Replicas of the Deployments; in the prod profile backend and frontend are scaled by their HPA instead. */
  readonly replicas: { readonly backend: number; readonly frontend: number; readonly worker: number };
  readonly hosts: { readonly frontend: string; readonly backend: string };
  /** The Ingress class, for a profile whose front is an ingress controller (dev). */
  readonly ingress?: { readonly className: string };
  readonly resources: Readonly<Record<Component, ResourceValues>>;
  readonly storage: { readonly mongo: string; readonly redis?: string; readonly className: string };
  readonly autoscaling?: { readonly backend: AutoscalingValues; readonly frontend: AutoscalingValues };
}

function splitImage(image: string): { repository: string; tag: string } {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon <= slash || image.includes('@')) throw new Error(`image ${image}: the chart needs a repository and a tag`);
  return { repository: image.slice(0, colon), tag: image.slice(colon + 1) };
}

/** The resources of the containers running a component's image (the stage's or the constructs' defaults), as rendered. */
function renderedResources(objects: readonly KubeObject[], stage: StageConfig, component: Component): ResourceValues {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const containers = objects.flatMap((o) => ((o.spec as any)?.template?.spec?.containers ?? []) as any[]);
  const found = [...new Set(containers.filter((c) => c.image === stage.images[component]).map((c) => JSON.stringify(c.resources ?? {})))];
  if (found.length !== 1) throw new Error(`stage ${stage.name}: ${found.length} different resources for the ${component} image`);
  const resources = JSON.parse(found[0]);
  const requests = { cpu: resources.requests?.cpu, memory: resources.requests?.memory };
  const limits = { memory: resources.limits?.memory };
  if (JSON.stringify(resources) !== JSON.stringify({ limits, requests }) || !requests.cpu || !requests.memory || !limits.memory) {
    throw new Error(`stage ${stage.name}: the ${component} resources ${found[0]} are not requests.cpu, requests.memory and limits.memory`);
  }
  return FIXED_MEMORY_LIMIT.has(component) ? { requests } : { requests, limits };
}

function autoscalingValues(settings: AutoscalingSettings | undefined): AutoscalingValues {
  if (!settings) throw new Error('the prod profile autoscales backend and frontend');
  if (settings.memoryUtilization !== undefined) throw new Error('memoryUtilization is not a knob of the chart');
  return {
    minReplicas: settings.minReplicas ?? 1,
    maxReplicas: settings.maxReplicas,
    ...(settings.cpuUtilization !== undefined ? { cpuUtilization: settings.cpuUtilization } : {}),
    ...(settings.memoryAverageValue !== undefined ? { memoryAverageValue: settings.memoryAverageValue } : {}),
  };
}

/** The values that render `stage` (one of the chart's profiles) as `STAGE=<name> npm run synth` does. */
export function valuesOf(stage: StageConfig, objects: readonly KubeObject[]): HabrValues {
  const profile = stage === PROD ? 'prod' : stage === DEV ? 'dev' : undefined;
  if (!profile) throw new Error(`stage ${stage.name} is no profile of the chart (prod, dev)`);
  const releases = new Set(APP_IMAGES.map((c) => splitImage(stage.images[c]).tag));
  if (releases.size !== 1) throw new Error(`stage ${stage.name}: the app images have different tags; the chart has one release`);
  return {
    profile,
    release: [...releases][0],
    images: {
      backend: { repository: splitImage(stage.images.backend).repository },
      worker: { repository: splitImage(stage.images.worker).repository },
      frontend: { repository: splitImage(stage.images.frontend).repository },
      mongo: splitImage(stage.images.mongo),
      redis: splitImage(stage.images.redis),
    },
    replicas: { ...stage.replicas },
    hosts: { ...stage.hosts },
    ...(stage.front.kind === 'ingress' ? { ingress: { className: stage.front.ingressClassName } } : {}),
    resources: Object.fromEntries(COMPONENTS.map((c) => [c, renderedResources(objects, stage, c)])) as Record<Component, ResourceValues>,
    storage: { mongo: stage.mongoStorage, ...(stage.redisStorage ? { redis: stage.redisStorage } : {}), className: stage.storageClassName ?? '' },
    ...(profile === 'prod' ? { autoscaling: { backend: autoscalingValues(stage.autoscaling?.backend), frontend: autoscalingValues(stage.autoscaling?.frontend) } } : {}),
  };
}

function unit(quantity: string): string {
  return /[A-Za-z]*$/.exec(quantity)![0];
}

function fixedLimit(stage: StageConfig, component: Component): string {
  const limit = renderStage(stage).objects
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    .flatMap((o) => ((o.object.spec as any)?.template?.spec?.containers ?? []) as any[])
    .find((c) => c.image === stage.images[component])?.resources?.limits?.memory;
  if (!limit) throw new Error(`stage ${stage.name}: no memory limit for ${component}`);
  return limit;
}

/** `stage` with a placeholder for every knob, from `registry` (shared by the profiles, so a knob has one placeholder). */
function placeholderStage(stage: StageConfig, values: HabrValues, registry: KnobRegistry): StageConfig {
  const release = registry.string('release');
  const resources = (component: Component): ResourceProps => {
    const r = values.resources[component];
    const base = `resources.${component}`;
    return {
      requests: { cpu: registry.quantity(`${base}.requests.cpu`, unit(r.requests.cpu)), // Under a fixed limit the placeholder must stay below it (910 000 Ki is less than 1 Gi).
        memory: registry.quantity(`${base}.requests.memory`, r.limits ? unit(r.requests.memory) : 'Ki') },
      limits: { memory: r.limits ? registry.quantity(`${base}.limits.memory`, unit(r.limits.memory)) : fixedLimit(stage, component) },
    };
  };
  const autoscaling = (component: 'backend' | 'frontend', settings: AutoscalingSettings | undefined): AutoscalingSettings | undefined => {
    if (!settings) return undefined;
    const base = `autoscaling.${component}`;
    return {
      minReplicas: registry.int(`${base}.minReplicas`),
      maxReplicas: registry.int(`${base}.maxReplicas`),
      ...(settings.cpuUtilization !== undefined ? { cpuUtilization: registry.int(`${base}.cpuUtilization`) } : {}),
      ...(settings.memoryAverageValue !== undefined ? { memoryAverageValue: registry.quantity(`${base}.memoryAverageValue`, unit(settings.memoryAverageValue)) } : {}),
    };
  };
  return {
    ...stage,
    images: {
      backend: `${registry.string('images.backend.repository')}:${release}`,
      worker: `${registry.string('images.worker.repository')}:${release}`,
      frontend: `${registry.string('images.frontend.repository')}:${release}`,
      mongo: `${registry.string('images.mongo.repository')}:${registry.string('images.mongo.tag')}`,
      redis: `${registry.string('images.redis.repository')}:${registry.string('images.redis.tag')}`,
    },
    replicas: { backend: registry.int('replicas.backend'), frontend: registry.int('replicas.frontend'), worker: registry.int('replicas.worker') },
    hosts: { frontend: registry.string('hosts.frontend'), backend: registry.string('hosts.backend') },
    front: stage.front.kind === 'ingress' ? { ...stage.front, ingressClassName: registry.string('ingress.className') } : stage.front,
    resources: Object.fromEntries(COMPONENTS.map((c) => [c, resources(c)])),
    mongoStorage: registry.quantity('storage.mongo', unit(stage.mongoStorage)),
    redisStorage: stage.redisStorage === undefined ? undefined : registry.quantity('storage.redis', unit(stage.redisStorage)),
    storageClassName: registry.optionalString('storage.className'),
    autoscaling: stage.autoscaling && {
      backend: autoscaling('backend', stage.autoscaling.backend),
      frontend: autoscaling('frontend', stage.autoscaling.frontend),
    },
  };
}

/**
 * The stage as the chart renders it: one Deployment per component. Releases in versions (blue/green,
 * canary) are switched by editing the typed stage and synthesizing, not through chart values.
 */
function chartStage(stage: StageConfig): StageConfig {
  return { ...stage, releases: undefined };
}

/** The real stage, rendered to objects and validated as synth does (no YAML: the chart is made from objects); throws on validation errors. */
export function renderStage(stage: StageConfig): RenderedObjects {
  const app = new App();
  new HabrStack(app, chartStage(stage));
  const rendered = renderObjects(app);
  if (rendered.report.errors > 0) throw new SynthesisError(rendered.report);
  return rendered;
}

/**
 * The Namespace `default` of the platform file: it exists in every cluster, so Helm could only
 * adopt it (and `helm uninstall` would try to delete it); the README has users label it instead.
 */
export function isChartObject(object: KubeObject): boolean {
  return object.kind !== 'Namespace';
}

function profileRender(name: string, stage: StageConfig): ProfileRender {
  const app = new App();
  new HabrStack(app, chartStage(stage));
  // Not validated here: renderStage validates the real stages.
  return profileOf(name, appManifests(app), isChartObject);
}

// ---- values.schema.json -------------------------------------------------------------------------

const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_SUBDOMAIN = `^${DNS_LABEL}(\\.${DNS_LABEL})*$`;
const PATH_COMPONENT = '[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*';
const IMAGE_REPOSITORY = `^(([a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*(:[0-9]+)?|localhost(:[0-9]+)?)/)?${PATH_COMPONENT}(/${PATH_COMPONENT})*$`;
const IMAGE_TAG = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$';
const MEMORY = '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$';
const CPU = '^([0-9]+m|[0-9]+(\\.[0-9]{1,3})?)$';

const hostSchema: JsonSchema = { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN, description: 'a DNS-1123 subdomain' };
const object = (properties: Record<string, JsonSchema>, required = Object.keys(properties)): JsonSchema => ({
  type: 'object', additionalProperties: false, required, properties,
});
const tagSchema: JsonSchema = { type: 'string', pattern: IMAGE_TAG };
const repositorySchema: JsonSchema = { type: 'string', pattern: IMAGE_REPOSITORY };
const replicasSchema: JsonSchema = { type: 'integer', minimum: 0 };
const memorySchema: JsonSchema = { type: 'string', pattern: MEMORY };
const resourcesSchema = (fixedLimit: boolean) => object({
  requests: object({ cpu: { type: 'string', pattern: CPU }, memory: memorySchema }),
  ...(fixedLimit ? {} : { limits: object({ memory: memorySchema }) }),
});
const autoscalingSchema = (memory: boolean) => object({
  minReplicas: { type: 'integer', minimum: 1 },
  maxReplicas: { type: 'integer', minimum: 1 },
  cpuUtilization: { type: 'integer', minimum: 1 },
  ...(memory ? { memoryAverageValue: memorySchema } : {}),
});
const pinned: JsonSchema = { not: { enum: ['latest'] }, description: 'pinned: a tag other than latest' };

/** `values.schema.json` (draft-07), which helm checks before it renders (template, lint, install, upgrade). */
export function valuesSchema(prod: HabrValues): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `values of the ${CHART_NAME} chart`,
    ...object({
      profile: { enum: ['prod', 'dev'] },
      release: tagSchema,
      images: object({
        ...Object.fromEntries(APP_IMAGES.map((c) => [c, object({ repository: repositorySchema })])),
        ...Object.fromEntries(DATA_IMAGES.map((c) => [c, object({ repository: repositorySchema, tag: tagSchema })])),
      }),
      replicas: object({ backend: replicasSchema, frontend: replicasSchema, worker: replicasSchema }),
      hosts: object({ frontend: hostSchema, backend: hostSchema }),
      ingress: object({ className: hostSchema }),
      resources: object(Object.fromEntries(COMPONENTS.map((c) => [c, resourcesSchema(FIXED_MEMORY_LIMIT.has(c))]))),
      storage: object({ mongo: memorySchema, redis: memorySchema, className: { anyOf: [{ const: '' }, hostSchema] } }, ['mongo', 'className']),
      autoscaling: object({
        backend: autoscalingSchema(prod.autoscaling?.backend.memoryAverageValue !== undefined),
        frontend: autoscalingSchema(prod.autoscaling?.frontend.memoryAverageValue !== undefined),
      }),
    }, ['profile', 'release', 'images', 'replicas', 'hosts', 'resources', 'storage']),
    allOf: [
      {
        // The prod profile runs only pinned images, spreads every workload (two replicas at least) and needs what its structure uses.
        if: { properties: { profile: { const: 'prod' } } },
        then: {
          required: ['autoscaling'],
          properties: {
            release: pinned,
            images: { properties: { mongo: { properties: { tag: pinned } }, redis: { properties: { tag: pinned } } } },
            replicas: { properties: { backend: { minimum: 2 }, frontend: { minimum: 2 }, worker: { minimum: 2 } } },
            storage: { required: ['redis'] },
          },
        },
      },
      // The dev profile routes its hosts through Ingresses of that class.
      { if: { properties: { profile: { const: 'dev' } } }, then: { required: ['ingress'] } },
    ],
  };
}

/** The whole chart: templates from both profiles, prod's values as the defaults, dev's in `values-dev.yaml`. */
export function habrChart(appVersionOf: (values: HabrValues) => string = (v) => v.release): ChartOutput {
  const prodValues = valuesOf(PROD, renderStage(PROD).objects.map((o) => o.object));
  const devValues = valuesOf(DEV, renderStage(DEV).objects.map((o) => o.object));
  const registry = new KnobRegistry();
  const profiles = [profileRender('prod', placeholderStage(PROD, prodValues, registry)), profileRender('dev', placeholderStage(DEV, devValues, registry))];
  return helmChart({
    folder: CHART_FOLDER,
    metadata: {
      name: CHART_NAME,
      description: 'The habr demo stack (backend, worker, frontend, Redis, MongoDB), typed and validated by habr-k8s',
      version: CHART_VERSION,
      appVersion: appVersionOf(prodValues),
    },
    knobs: registry.knobs,
    profiles,
    values: prodValues,
    valuesComment: 'Written by `npm run synth:helm` from apps/habr/stages.ts; do not edit: pass -f or --set instead.\n' +
      'These defaults render exactly `STAGE=prod npm run synth` (dist/prod), without the Namespace (see the README).\n' +
      'profile selects the structure (prod or dev); every other value is a knob; values.schema.json says what each accepts.',
    valuesFiles: {
      'values-dev.yaml': {
        comment: 'Written by `npm run synth:helm`: `helm template -f values-dev.yaml` renders exactly the dev stage (dist/).\n' +
          'The dev profile has no autoscaling or Redis volume: autoscaling and storage.redis do not apply.',
        values: devValues,
      },
    },
    schema: valuesSchema(prodValues),
  });
}
