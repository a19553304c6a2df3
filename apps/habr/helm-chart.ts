/**
 * The habr stack as a Helm chart (`npm run synth:helm` → dist/helm/habr): the values are the
 * scalar knobs of a {@link StageConfig}, declared with `chartValues`, the profile (`prod` or `dev`)
 * is its structure. `habr-k8s helm` builds the stack once per profile with a placeholder for every
 * knob, each of which becomes a `{{ .Values… }}` expression, and once as the stage is, validated;
 * their values are the chart's defaults (prod) and `values-dev.yaml` (dev).
 */
import * as path from 'path';
import { App } from 'cdk8s';
import { ResourceProps } from '../../lib';
import { chartStage, helmChartOf } from '../../lib/render/helm/app-chart';
import { ChartOutput } from '../../lib/render/helm/chart';
import { JsonSchema, KnobRegistry } from '../../lib/render/helm/knobs';
import { ReleaseChartValues, releaseChartValues, releaseFromValues, ReleaseValues, releaseValuesSchema, splitImage } from '../../lib/render/helm/releases';
import { chartValues } from '../../lib/render/helm/values';
import { RenderedObjects, renderObjects, SynthesisError } from '../../lib/render/synthesize';
import { KubeObject } from '../../lib/manifest/types';
import { IMAGE_TAG_PATTERN } from '../../lib/manifest/image-reference';
import { PROJECT_ROOT } from './project';
import { APP_NAME, HabrStack } from './stack';
import { AutoscalingSettings, Component, DEV, PROD, ReleaseSettings, StageConfig } from './stages';

export const CHART_NAME = APP_NAME;
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
  /** The release of the app: the tag of the backend, worker and frontend images (but those of a component released in versions). */
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
  /** Backend in versions (the stage's `releases.backend`): the active version or canary weight, and each version's tag. */
  readonly backend?: { readonly release: ReleaseValues };
  /** Frontend in versions (the stage's `releases.frontend`), like `backend`. */
  readonly frontend?: { readonly release: ReleaseValues };
}

/** The components a stage may release in versions (see `StageConfig.releases`). */
const RELEASABLE = ['backend', 'frontend'] as const;
type Releasable = typeof RELEASABLE[number];

/** The chart values of a component's release, declared at `<component>.release`. */
function releaseValuesOf(stage: StageConfig, component: Releasable): ReleaseChartValues | undefined {
  const settings = stage.releases?.[component];
  if (!settings) return undefined;
  const repository = splitImage(stage.images[component]).repository;
  for (const [version, { image }] of Object.entries(settings.versions)) {
    // The version images follow images.<component>.repository; only their tags are their own.
    if (splitImage(image).repository !== repository) {
      throw new Error(`stage ${stage.name}: releases.${component}.versions.${version}.image ${image} is not in ${repository}, the repository of the ${component} image`);
    }
  }
  return releaseChartValues(`${component}.release`, settings.release, settings.versions);
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
    ...Object.fromEntries(RELEASABLE.flatMap((c) => {
      const release = releaseValuesOf(stage, c);
      return release ? [[c, { release: release.values }]] : [];
    })),
  };
}

/** Mongo's memory limit as the real stage renders it (a fixed part of the chart, see {@link FIXED_MEMORY_LIMIT}). */
function fixedLimit(objects: readonly KubeObject[], stage: StageConfig, component: Component): string {
  const limit = objects
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    .flatMap((o) => ((o.spec as any)?.template?.spec?.containers ?? []) as any[])
    .find((c) => c.image === stage.images[component])?.resources?.limits?.memory;
  if (!limit) throw new Error(`stage ${stage.name}: no memory limit for ${component}`);
  return limit;
}

/** The chart's values but `profile`, which the chart adds as it selects a stage. */
type ChartedValues = Omit<HabrValues, 'profile'>;

/**
 * `stage` built from `values` (the stage's own, or the placeholders of the chart's templates);
 * `rendered` are the real stage's objects, which hold the limits that are no values.
 */
function stageWith(stage: StageConfig, values: ChartedValues, rendered: readonly KubeObject[]): StageConfig {
  const resources = (component: Component): ResourceProps => {
    const r = values.resources[component];
    return { requests: { ...r.requests }, limits: { memory: r.limits?.memory ?? fixedLimit(rendered, stage, component) } };
  };
  const autoscaling = (component: 'backend' | 'frontend'): AutoscalingSettings | undefined => {
    const settings = stage.autoscaling?.[component];
    return settings && values.autoscaling && { ...settings, ...values.autoscaling[component] };
  };
  const { images } = values;
  const released = (component: Releasable): [Releasable, ReleaseSettings][] => {
    const settings = stage.releases?.[component];
    if (!settings) return [];
    const versions = Object.fromEntries(Object.entries(settings.versions).map(([version, given]) => [
      version, { ...given, image: `${images[component].repository}:${splitImage(given.image).tag}` },
    ]));
    return [[component, releaseFromValues(values[component]!.release, settings.release, versions)]];
  };
  return {
    ...stage,
    images: {
      backend: `${images.backend.repository}:${values.release}`,
      worker: `${images.worker.repository}:${values.release}`,
      frontend: `${images.frontend.repository}:${values.release}`,
      mongo: `${images.mongo.repository}:${images.mongo.tag}`,
      redis: `${images.redis.repository}:${images.redis.tag}`,
    },
    replicas: { ...values.replicas },
    hosts: { ...values.hosts },
    front: stage.front.kind === 'ingress' ? { ...stage.front, ingressClassName: values.ingress!.className } : stage.front,
    resources: Object.fromEntries(COMPONENTS.map((c) => [c, resources(c)])),
    mongoStorage: values.storage.mongo,
    redisStorage: values.storage.redis,
    storageClassName: values.storage.className || undefined,
    autoscaling: stage.autoscaling && { backend: autoscaling('backend'), frontend: autoscaling('frontend') },
    releases: stage.releases && Object.fromEntries(RELEASABLE.flatMap(released)),
  };
}

/** The real stage, rendered to objects and validated as synth does (no YAML: the chart is made from objects); throws on validation errors. */
export function renderStage(stage: StageConfig): RenderedObjects {
  const app = new App();
  new HabrStack(app, stage);
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

// ---- values.schema.json -------------------------------------------------------------------------

const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_SUBDOMAIN = `^${DNS_LABEL}(\\.${DNS_LABEL})*$`;
const PATH_COMPONENT = '[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*';
const IMAGE_REPOSITORY = `^(([a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*(:[0-9]+)?|localhost(:[0-9]+)?)/)?${PATH_COMPONENT}(/${PATH_COMPONENT})*$`;
const MEMORY = '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$';
const CPU = '^([0-9]+m|[0-9]+(\\.[0-9]{1,3})?)$';

const hostSchema: JsonSchema = { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN, description: 'a DNS-1123 subdomain' };
const object = (properties: Record<string, JsonSchema>, required = Object.keys(properties)): JsonSchema => ({
  type: 'object', additionalProperties: false, required, properties,
});
const tagSchema: JsonSchema = { type: 'string', pattern: IMAGE_TAG_PATTERN };
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
export function valuesSchema(): JsonSchema {
  const memoryTarget = (component: 'backend' | 'frontend') => PROD.autoscaling?.[component]?.memoryAverageValue !== undefined;
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
        backend: autoscalingSchema(memoryTarget('backend')),
        frontend: autoscalingSchema(memoryTarget('frontend')),
      }),
      // Each profile says which components it releases in versions, and how (see releaseSchemas).
      backend: { type: 'object' },
      frontend: { type: 'object' },
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
      ...CHART_STAGES.map(releaseSchemas),
    ],
  };
}

/**
 * The release values of a profile: `<component>.release` for each component it releases in
 * versions. The defaults' profile (prod) takes no other key; the others tolerate the defaults'
 * release keys, which `helm lint -f values-dev.yaml` keeps although the file nulls them.
 */
function releaseSchemas(stage: StageConfig): JsonSchema {
  const released = RELEASABLE.filter((c) => stage.releases?.[c]);
  const tag = stage.requirePinnedImages ? { ...tagSchema, ...pinned } : tagSchema;
  const otherKeys = stage !== CHART_STAGES[0];
  return {
    if: { properties: { profile: { const: stage.name } } },
    then: {
      required: released,
      properties: Object.fromEntries(released.map((c) => {
        const { release, versions } = stage.releases![c]!;
        return [c, { type: 'object', required: ['release'], properties: { release: releaseValuesSchema(release, Object.keys(versions), tag, otherKeys) } }];
      })),
    },
  };
}

const VALUES_COMMENTS: Readonly<Record<HabrValues['profile'], string>> = {
  prod: 'Written by `npm run synth:helm` from apps/habr/stages.ts; do not edit: pass -f or --set instead.\n' +
    'These defaults render exactly `STAGE=prod npm run synth` (dist/prod), without the Namespace (see the README).\n' +
    'profile selects the structure (prod or dev); every other value is a knob; values.schema.json says what each accepts.',
  dev: 'Written by `npm run synth:helm`: `helm template -f values-dev.yaml` renders exactly the dev stage (dist/).\n' +
    'It sets to null the defaults the dev profile has no use for (autoscaling, the Redis volume, the blue/green releases): helm removes them.',
};

/**
 * The habr stack for the chart, its values declared with {@link chartValues}: the real stage is
 * rendered and validated first, as the resources it renders by default are values too.
 */
export function habrChartApp(stage: StageConfig): App {
  const rendered = renderStage(stage).objects.map((o) => o.object);
  const { profile, ...values } = valuesOf(stage, rendered);
  const releases = RELEASABLE.map((c) => releaseValuesOf(stage, c)).filter((release) => release !== undefined);
  // Run directly rather than through `habr-k8s helm`, the entry's app.synth() writes plain YAML to this git-ignored folder.
  const app = new App({ outdir: path.join(PROJECT_ROOT, `dist-${CHART_NAME}-chart`, stage.name) });
  const declared = chartValues(app, values, {
    name: CHART_NAME,
    description: 'The habr demo stack (backend, worker, frontend, Redis, MongoDB), typed and validated by habr-k8s',
    version: CHART_VERSION,
    appVersion: values.release,
    kinds: {
      'resources.*.requests.cpu': 'quantity',
      'resources.*.requests.memory': 'quantity',
      'resources.*.limits.memory': 'quantity',
      'storage.mongo': 'quantity',
      'storage.redis': 'quantity',
      'storage.className': 'optional-string',
      'autoscaling.*.memoryAverageValue': 'quantity',
    },
    // Under a fixed limit the placeholder must stay below it (910 000 Ki is less than 1 Gi).
    placeholderUnits: Object.fromEntries([...FIXED_MEMORY_LIMIT].map((c) => [`resources.${c}.requests.memory`, 'Ki'])),
    choices: Object.assign({}, ...releases.map((release) => release.choices)),
    ranges: Object.assign({}, ...releases.map((release) => release.ranges)),
    schema: valuesSchema(),
    valuesComment: VALUES_COMMENTS[profile],
    leaveOut: (object) => !isChartObject(object),
    writtenBy: 'npm run synth:helm',
  });
  new HabrStack(app, stageWith(stage, declared, rendered));
  return app;
}

/** The profiles of the chart, in order: prod's values are the defaults, dev's are in `values-dev.yaml`. */
export const CHART_STAGES: readonly StageConfig[] = [PROD, DEV];

/** The whole chart, as `npm run synth:helm` writes it (`habr-k8s helm --app apps/habr/chart.ts --stage prod --stage dev`). */
export function habrChart(): ChartOutput {
  const registry = new KnobRegistry();
  const stages = CHART_STAGES.map((stage) => chartStage(stage.name, registry, () => habrChartApp(stage)));
  return helmChartOf(stages, registry, { folder: CHART_FOLDER, source: 'apps/habr/chart.ts' });
}
