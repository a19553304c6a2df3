/**
 * Container image references, and what the official database and cache images need to run under
 * the constructs' defaults (a non-root uid, a read-only root filesystem): the one table the presets
 * (MongoStatefulSet, RedisStatefulSet, PostgresStatefulSet, MysqlStatefulSet) and the compose
 * importer read. Each entry cites the Dockerfile its facts come from.
 */

/** The parts of an image reference `[registry/]path[:tag][@digest]`. */
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
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const last = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return {
    name: colon < 0 ? last : last.slice(0, colon),
    ...(colon < 0 ? {} : { tag: last.slice(colon + 1) }),
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
  /** The Dockerfile the facts come from. */
  readonly source: string;
}

/** The images the table knows, by repository name. */
export type KnownImageName = 'mongo' | 'redis' | 'postgres' | 'mysql' | 'mariadb';

const RUNTIMES: Readonly<Record<KnownImageName, ImageRuntime>> = {
  // groupadd --gid 999 mongodb; useradd --uid 999 --gid mongodb; the entrypoint writes a temporary config to /tmp.
  mongo: {
    port: 27017, portName: 'mongodb', dataPath: '/data/db', uid: 999, gid: 999, writablePaths: ['/tmp', '/data/configdb'],
    source: 'https://github.com/docker-library/mongo/blob/master/6.0/Dockerfile',
  },
  // Alpine: addgroup -g 1000 redis; adduser -u 999 (debian: groupadd -g 999). It writes only its dump to
  // /data, which fsGroup makes writable whatever the group: one entry serves both variants.
  redis: {
    port: 6379, portName: 'redis', dataPath: '/data', uid: 999, gid: 1000, writablePaths: [],
    source: 'https://github.com/docker-library/redis/blob/master/7.0/alpine/Dockerfile',
  },
  // groupadd --gid=999 postgres; useradd --uid=999; the socket and lock files go to /var/run/postgresql.
  postgres: {
    port: 5432, portName: 'postgres', dataPath: '/var/lib/postgresql/data', uid: 999, gid: 999, writablePaths: ['/tmp', '/var/run/postgresql'],
    source: 'https://github.com/docker-library/postgres/blob/master/16/bookworm/Dockerfile',
  },
  // groupadd --gid 999 mysql; useradd --uid 999; socket and pid file in /var/run/mysqld, temporary files in /tmp.
  mysql: {
    port: 3306, portName: 'mysql', dataPath: '/var/lib/mysql', uid: 999, gid: 999, writablePaths: ['/tmp', '/var/run/mysqld'],
    source: 'https://github.com/docker-library/mysql/blob/master/8.4/Dockerfile.oracle',
  },
  // groupadd -r mysql; useradd -r (the first system ids of ubuntu, 999); socket and pid file in /run/mysqld.
  mariadb: {
    port: 3306, portName: 'mysql', dataPath: '/var/lib/mysql', uid: 999, gid: 999, writablePaths: ['/tmp', '/run/mysqld'],
    source: 'https://github.com/MariaDB/mariadb-docker/blob/master/11.4/Dockerfile',
  },
};

/**
 * The alpine variants' own ids, where they matter: postgres' entrypoint needs its user in
 * /etc/passwd, and the alpine image has `adduser -u 70 -G postgres` (gid 70).
 * https://github.com/docker-library/postgres/blob/master/16/alpine3.20/Dockerfile
 */
const ALPINE_IDS: Partial<Record<KnownImageName, { readonly uid: number; readonly gid: number }>> = {
  postgres: { uid: 70, gid: 70 },
};

/** The table's entry of `name` as built for `image` (its alpine variant uses other ids). */
export function runtimeOf(name: KnownImageName, image: string): ImageRuntime {
  const runtime = RUNTIMES[name];
  const alpine = ALPINE_IDS[name];
  return alpine && (parseImageReference(image).tag ?? '').includes('alpine') ? { ...runtime, ...alpine } : runtime;
}

/** What the table knows about `image`, by its repository name (`docker.io/library/postgres:16-alpine` is postgres' alpine variant). */
export function imageRuntime(image: string): (ImageRuntime & { readonly name: KnownImageName }) | undefined {
  const name = parseImageReference(image).name;
  if (!Object.prototype.hasOwnProperty.call(RUNTIMES, name)) return undefined;
  return { ...runtimeOf(name as KnownImageName, image), name: name as KnownImageName };
}
