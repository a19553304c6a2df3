import { ResourceProps } from '../constructs/pod-template';

/** What the importer knows about an official database or cache image, to run it as a StatefulSet. */
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

const MYSQL_RESOURCES: ResourceProps = { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } };

const KNOWN_IMAGES: Readonly<Record<string, KnownImage>> = {
  mongo: { preset: 'mongo', port: 27017, portName: 'mongodb', dataPath: '/data/db' },
  redis: { preset: 'redis', port: 6379, portName: 'redis', dataPath: '/data' },
  // A volume's root may hold lost+found, which initdb refuses: the data goes one folder down.
  postgres: {
    port: 5432, portName: 'postgres', dataPath: '/var/lib/postgresql/data', uid: 999, writablePaths: ['/tmp', '/var/run/postgresql'],
    env: { PGDATA: '/var/lib/postgresql/data/pgdata' },
  },
  mysql: { port: 3306, portName: 'mysql', dataPath: '/var/lib/mysql', uid: 999, writablePaths: ['/tmp', '/var/run/mysqld'], resources: MYSQL_RESOURCES },
  mariadb: { port: 3306, portName: 'mysql', dataPath: '/var/lib/mysql', uid: 999, writablePaths: ['/tmp', '/run/mysqld'], resources: MYSQL_RESOURCES },
};

/** The image's repository without registry, tag or digest: `docker.io/library/postgres:16` is `postgres`. */
export function imageRepositoryName(image: string): string {
  const withoutDigest = image.split('@')[0];
  const last = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  return last.split(':')[0];
}

/** The image's tag: undefined for an untagged (implicitly `latest`) reference, none for a digest. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return 'digest';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return colon < 0 ? undefined : last.slice(colon + 1);
}

/** What the importer knows about `image`; postgres' alpine images use uid 70 instead of 999. */
export function knownImage(image: string): KnownImage | undefined {
  const known = KNOWN_IMAGES[imageRepositoryName(image)];
  if (known && imageRepositoryName(image) === 'postgres' && (imageTag(image) ?? '').includes('alpine')) return { ...known, uid: 70 };
  return known;
}

/**
 * The port clients use of common images that have no preset (their Dockerfile's `EXPOSE`, the
 * first of several where it lists more): what a service without `ports` serves when another
 * service names it as a host. `images` (repository names) share the entry.
 */
const IMAGE_PORTS: readonly { readonly images: readonly string[]; readonly port: number }[] = [
  { images: ['rabbitmq'], port: 5672 },
  { images: ['memcached'], port: 11211 },
  { images: ['elasticsearch', 'opensearch'], port: 9200 },
  { images: ['zookeeper'], port: 2181 },
  { images: ['kafka', 'cp-kafka'], port: 9092 },
  { images: ['nats'], port: 4222 },
  { images: ['eclipse-mosquitto'], port: 1883 },
  { images: ['influxdb'], port: 8086 },
  { images: ['nginx', 'httpd', 'wordpress', 'phpmyadmin'], port: 80 },
  { images: ['adminer'], port: 8080 },
  { images: ['ghost'], port: 2368 },
  { images: ['grafana'], port: 3000 },
  { images: ['prometheus'], port: 9090 },
];

/** The port `image` serves (a preset's, or one of {@link IMAGE_PORTS}); undefined when the importer does not know it. */
export function imagePort(image: string): number | undefined {
  const name = imageRepositoryName(image);
  return KNOWN_IMAGES[name]?.port ?? IMAGE_PORTS.find((entry) => entry.images.includes(name))?.port;
}
