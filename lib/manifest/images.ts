/**
 * The database and cache images the presets (MongoStatefulSet, RedisStatefulSet,
 * PostgresStatefulSet, MysqlStatefulSet) and the compose importer run: a view of the table of image
 * needs (image-needs.ts), which holds each fact once and cites its source.
 */
import { imageRuntimeNeeds, ImageRuntimeNeeds } from './image-needs';
import { parseImageReference as parseReference } from './image-reference';

/** The parts of an image reference `[registry/]path[:tag][@digest]` the presets use. */
export interface ImageReference {
  /** The last path component without tag or digest: `docker.io/library/postgres:16` is `postgres`. */
  readonly name: string;
  /** The tag, when the reference has one. */
  readonly tag?: string;
  /** The digest (`sha256:…`), when the reference has one. */
  readonly digest?: string;
}

/** Splits an image reference; it does not check it (checkPinnedImage does). */
export function parseImageReference(image: string): ImageReference {
  const { path, tag, digest } = parseReference(image);
  return {
    name: path.slice(path.lastIndexOf('/') + 1),
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** What an official image needs to run as its own non-root user with a read-only root filesystem. */
export interface ImageRuntime {
  /** The port the server listens on, and its name in the pod. */
  readonly port: number;
  readonly portName: string;
  /** Where the image keeps its data: the volume's mount path. */
  readonly dataPath: string;
  /** The image's own user and group (its files and its entrypoint's checks expect them). */
  readonly uid: number;
  readonly gid: number;
  /** Folders the image writes besides its data (sockets, pid and temporary files): emptyDirs. */
  readonly writablePaths: readonly string[];
  /** Environment the image needs to run on a volume claim (PGDATA one folder below the volume's root). */
  readonly env: Readonly<Record<string, string>>;
  /** Where the facts come from (the first source of the table's entry). */
  readonly source: string;
}

/** The images with a preset, by repository name. */
export type KnownImageName = 'mongo' | 'redis' | 'postgres' | 'mysql' | 'mariadb';

const KNOWN_IMAGE_NAMES: readonly string[] = ['mongo', 'redis', 'postgres', 'mysql', 'mariadb'] satisfies readonly KnownImageName[];

/**
 * The table's entry of `name` for the tag of `image` (a preset's image may come from another
 * registry; its tag still says which variant it is: postgres' alpine images use uid 70).
 */
export function runtimeOf(name: KnownImageName, image: string): ImageRuntime {
  const { tag } = parseImageReference(image);
  return toRuntime(name, imageRuntimeNeeds(tag === undefined ? name : `${name}:${tag}`));
}

/** What the table knows about `image` when it is a Docker Hub image with a preset (`postgres:16-alpine` is postgres' alpine variant). */
export function imageRuntime(image: string): (ImageRuntime & { readonly name: KnownImageName }) | undefined {
  const needs = imageRuntimeNeeds(image);
  if (!needs || !KNOWN_IMAGE_NAMES.includes(needs.image)) return undefined;
  const name = needs.image as KnownImageName;
  return { ...toRuntime(name, needs), name };
}

function toRuntime(name: KnownImageName, needs: ImageRuntimeNeeds | undefined): ImageRuntime {
  if (!needs || needs.uid === undefined || needs.gid === undefined || needs.port === undefined || needs.portName === undefined || needs.dataPath === undefined) {
    throw new Error(`the table of image needs has no complete entry for ${name} (lib/manifest/image-needs.ts)`);
  }
  return {
    port: needs.port, portName: needs.portName, dataPath: needs.dataPath, uid: needs.uid, gid: needs.gid,
    writablePaths: needs.writablePaths, env: needs.env ?? {}, source: needs.sources[0],
  };
}
