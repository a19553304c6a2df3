import { ResourceProps } from '../constructs/pod-template';
import { imageRuntimeNeeds } from '../manifest/image-needs';
import { parseImageReference } from '../manifest/image-reference';

/**
 * What the importer knows about an official database or cache image, to run it as a
 * StatefulSet: the entries of the table of image needs (lib/manifest/image-needs.ts) marked
 * `database`, seen as the importer plans them.
 */
export interface KnownImage {
  /** `mongo` and `redis` have presets (MongoStatefulSet, RedisStatefulSet); the others run as a StatefulApp. */
  readonly preset?: 'mongo' | 'redis';
  readonly port: number;
  readonly portName: string;
  /** Where the image keeps its data: the volume claim's mount path. */
  readonly dataPath: string;
  /** The image's own non-root user, and the folders it writes besides its data. */
  readonly uid?: number;
  readonly writablePaths?: readonly string[];
  /** Environment the image needs to run on a volume claim. */
  readonly env?: Readonly<Record<string, string>>;
  readonly resources?: ResourceProps;
}

const PRESETS: Readonly<Record<string, KnownImage['preset']>> = { mongo: 'mongo', redis: 'redis' };

/** The image's repository without registry, tag or digest: `docker.io/library/postgres:16` is `postgres`. */
export function imageRepositoryName(image: string): string {
  const { path } = parseImageReference(image);
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The image's tag: undefined for an untagged (implicitly `latest`) reference, `digest` for a digest. */
export function imageTag(image: string): string | undefined {
  const { tag, digest } = parseImageReference(image);
  return digest !== undefined ? 'digest' : tag;
}

/** What the importer knows about `image` (a Docker Hub database image); postgres' alpine images use uid 70 instead of 999. */
export function knownImage(image: string): KnownImage | undefined {
  const needs = imageRuntimeNeeds(image);
  if (!needs?.database || needs.port === undefined || needs.portName === undefined || needs.dataPath === undefined) return undefined;
  const preset = PRESETS[needs.image];
  if (preset) return { preset, port: needs.port, portName: needs.portName, dataPath: needs.dataPath };
  return {
    port: needs.port,
    portName: needs.portName,
    dataPath: needs.dataPath,
    uid: needs.uid,
    writablePaths: needs.writablePaths,
    env: needs.env,
    resources: needs.resources,
  };
}
