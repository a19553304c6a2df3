import { MONGO_DEFAULTS } from '../constructs/mongo-stateful-set';
import { MYSQL_DEFAULT_RESOURCES } from '../constructs/mysql-stateful-set';
import { POSTGRES_DEFAULT_RESOURCES } from '../constructs/postgres-stateful-set';
import { redisDefaults } from '../constructs/redis-stateful-set';
import { ResourceList } from '../constructs/pod-template';
import { imageRuntime, KnownImageName, parseImageReference } from '../manifest/images';

/** What the importer knows about an official database or cache image: the preset that runs it, and the image's facts (lib/manifest/images.ts). */
export interface KnownImage {
  /** The preset: MongoStatefulSet, RedisStatefulSet, PostgresStatefulSet, MysqlStatefulSet (mysql and mariadb). */
  readonly preset: KnownImageName;
  readonly port: number;
  readonly portName: string;
  /** Where the image keeps its data: the volume claim's mount path. */
  readonly dataPath: string;
  /** What the preset requests when the service says nothing. */
  readonly requests: ResourceList;
}

const PRESET_REQUESTS: Readonly<Record<KnownImageName, ResourceList>> = {
  mongo: MONGO_DEFAULTS.resources.requests!,
  redis: redisDefaults(false).resources.requests!,
  postgres: POSTGRES_DEFAULT_RESOURCES.requests!,
  mysql: MYSQL_DEFAULT_RESOURCES.requests!,
  mariadb: MYSQL_DEFAULT_RESOURCES.requests!,
};

/** The image's repository without registry, tag or digest: `docker.io/library/postgres:16` is `postgres`. */
export function imageRepositoryName(image: string): string {
  return parseImageReference(image).name;
}

/** The image's tag: undefined for an untagged (implicitly `latest`) reference, `digest` for one pinned by digest. */
export function imageTag(image: string): string | undefined {
  const reference = parseImageReference(image);
  return reference.digest !== undefined ? 'digest' : reference.tag;
}

/** What the importer knows about `image`. */
export function knownImage(image: string): KnownImage | undefined {
  const runtime = imageRuntime(image);
  if (!runtime) return undefined;
  return { preset: runtime.name, port: runtime.port, portName: runtime.portName, dataPath: runtime.dataPath, requests: PRESET_REQUESTS[runtime.name] };
}
