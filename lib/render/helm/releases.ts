/**
 * A {@link ReleasedWebApp}'s release as Helm chart values: which version is active (blue/green,
 * rainbow) or the canary's weight, and each version's image tag. An app puts
 * {@link releaseChartValues}' `values` in its `chartValues` at `path`, spreads its `choices` and
 * `ranges` into the options, and builds the app from {@link releaseFromValues} of what
 * `chartValues` returned: `helm upgrade --set <path>.active=green` then switches the Service
 * selectors (or the route's weights), and values.schema.json refuses a version the app does not have.
 */
import type { ReleasedWebApp, ReleaseStrategy } from '../../constructs/released-web-app';
import { IMAGE_TAG_PATTERN, parseImageReference } from '../../manifest/image-reference';
import { JsonSchema } from './knobs';
import { ChartValuesOptions } from './values';

/** The chart values of a release. */
export interface ReleaseValues {
  /** Blue/green and rainbow: the version the app's Service selects. */
  readonly active?: string;
  /** Canary: the percent of requests (0 to 100) the canary version receives. */
  readonly weight?: number;
  /** Each version's image tag (its repository stays the version's own). */
  readonly versions: Readonly<Record<string, { readonly tag: string }>>;
}

/** A release's values, and the choices and ranges to declare them with. */
export interface ReleaseChartValues extends Required<Pick<ChartValuesOptions, 'choices' | 'ranges'>> {
  readonly values: ReleaseValues;
}

/** `repository:tag` of an image reference with a tag (no digest), read by {@link parseImageReference}. */
export function splitImage(image: string): { repository: string; tag: string } {
  const { registry, path, tag, digest } = parseImageReference(image);
  if (tag === undefined || digest !== undefined) throw new Error(`image ${image}: a chart value needs a repository and a tag`);
  return { repository: registry === undefined ? path : `${registry}/${path}`, tag };
}

/**
 * The values of `release` over `versions` (as given to {@link ReleasedWebApp}), to be declared at
 * the dotted `path` of the app's chart values: `active` a choice of the version names, `weight` a
 * range from 0 to 100, and each version's tag.
 */
export function releaseChartValues(path: string, release: ReleaseStrategy, versions: Readonly<Record<string, { readonly image: string }>>): ReleaseChartValues {
  const tags = Object.fromEntries(Object.entries(versions).map(([version, { image }]) => [version, { tag: splitImage(image).tag }]));
  if (release.strategy === 'canary') {
    return { values: { weight: release.weight, versions: tags }, choices: {}, ranges: { [`${path}.weight`]: { minimum: 0, maximum: 100 } } };
  }
  return { values: { active: release.active, versions: tags }, choices: { [`${path}.active`]: Object.keys(versions) }, ranges: {} };
}

/** `release` and `versions` with the active version or weight and the image tags of `values` (what `chartValues` returned for them). */
export function releaseFromValues<V extends { readonly image: string }>(
  values: ReleaseValues, release: ReleaseStrategy, versions: Readonly<Record<string, V>>,
): { release: ReleaseStrategy; versions: Record<string, V> } {
  const switched: ReleaseStrategy = release.strategy === 'canary' ? { ...release, weight: values.weight! } : { ...release, active: values.active! };
  return {
    release: switched,
    versions: Object.fromEntries(Object.entries(versions).map(([version, settings]) => [
      version, { ...settings, image: `${splitImage(settings.image).repository}:${values.versions[version].tag}` },
    ])),
  };
}

/**
 * The JSON Schema of {@link releaseChartValues}' values: `active` one of the version names,
 * `weight` an integer from 0 to 100, a tag for every version, and no other key unless `otherKeys`.
 * `tag` is the schema of a tag (e.g. one refusing `latest`). `otherKeys` is for the values of a
 * stage other than the defaults': `helm lint -f values-<stage>.yaml` keeps the defaults' keys that
 * the file sets to null (install, upgrade and template remove them).
 */
export function releaseValuesSchema(
  release: ReleaseStrategy, versionNames: readonly string[], tag: JsonSchema = { type: 'string', pattern: IMAGE_TAG_PATTERN }, otherKeys = false,
): JsonSchema {
  const object = (properties: JsonSchema): JsonSchema => ({
    type: 'object', ...(otherKeys ? {} : { additionalProperties: false }), required: Object.keys(properties), properties,
  });
  return object({
    ...(release.strategy === 'canary' ? { weight: { type: 'integer', minimum: 0, maximum: 100 } } : { active: { enum: [...versionNames] } }),
    versions: object(Object.fromEntries(versionNames.map((version) => [version, object({ tag })]))),
  });
}
