import { MONGO_DEFAULT_RESOURCES } from '../constructs/mongo-stateful-set';
import { MYSQL_DEFAULT_RESOURCES } from '../constructs/mysql-stateful-set';
import { POSTGRES_DEFAULT_RESOURCES } from '../constructs/postgres-stateful-set';
import { redisDefaults } from '../constructs/redis-stateful-set';
import { ResourceProps } from '../constructs/pod-template';
import { imageRuntimeNeeds } from '../manifest/image-needs';
import { imageRuntime, KnownImageName, parseImageReference } from '../manifest/images';

/** What the importer knows about an official database or cache image: the preset that runs it, and the image's facts (lib/manifest/images.ts). */
export interface KnownImage {
  /** The preset: MongoStatefulSet, RedisStatefulSet, PostgresStatefulSet, MysqlStatefulSet (mysql and mariadb). */
  readonly preset: KnownImageName;
  readonly port: number;
  readonly portName: string;
  /** Where the image keeps its data: the volume claim's mount path. */
  readonly dataPath: string;
  /** The preset's requests and limits when the service says nothing. */
  readonly resources: ResourceProps;
}

const PRESET_RESOURCES: Readonly<Record<KnownImageName, ResourceProps>> = {
  mongo: MONGO_DEFAULT_RESOURCES,
  redis: redisDefaults(false).resources,
  postgres: POSTGRES_DEFAULT_RESOURCES,
  mysql: MYSQL_DEFAULT_RESOURCES,
  mariadb: MYSQL_DEFAULT_RESOURCES,
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
  return { preset: runtime.name, port: runtime.port, portName: runtime.portName, dataPath: runtime.dataPath, resources: PRESET_RESOURCES[runtime.name] };
}

/**
 * The port clients use of common images the table of image needs (lib/manifest/image-needs.ts)
 * does not hold (their Dockerfile's `EXPOSE`, the first of several where it lists more): what a
 * service without `ports` serves when another service names it as a host. `images` (repository
 * names) share the entry.
 */
const OTHER_IMAGE_PORTS: readonly { readonly images: readonly string[]; readonly port: number }[] = [
  { images: ['zookeeper'], port: 2181 },
  { images: ['kafka', 'cp-kafka'], port: 9092 },
  { images: ['nats'], port: 4222 },
  { images: ['eclipse-mosquitto'], port: 1883 },
  { images: ['influxdb'], port: 8086 },
  { images: ['phpmyadmin'], port: 80 },
  { images: ['adminer'], port: 8080 },
  { images: ['ghost'], port: 2368 },
];

/** The port `image` serves (the table's, or one of {@link OTHER_IMAGE_PORTS}); undefined when the importer does not know it. */
export function imagePort(image: string): number | undefined {
  const name = imageRepositoryName(image);
  return imageRuntimeNeeds(image)?.port ?? OTHER_IMAGE_PORTS.find((entry) => entry.images.includes(name))?.port;
}
