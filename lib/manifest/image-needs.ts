/**
 * What common official images need at run time (their user, the paths they write, the port they
 * listen on, whether their default start needs root), so that the constructs can run them under
 * the restricted defaults (non-root, read-only root filesystem, no capabilities) or say why not.
 * Each entry cites the Dockerfile or documentation line that shows it.
 */
import { dockerHubName, parseImageReference } from './image-reference';

/** Requests and limits an image needs at least, as Kubernetes quantities. @inline */
export interface ImageResources {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

/** The run-time needs of one image (one variant of its tags, where they differ). */
export interface ImageRuntimeNeeds {
  /** Docker Hub name, e.g. `nginx`, `nginxinc/nginx-unprivileged`. */
  readonly image: string;
  /** The tags this entry describes, when variants differ (`alpine`, `18+`). @default - every tag */
  readonly tags?: string;
  /** Whether a tag (`latest` for an untagged image) is one of {@link tags}. @default - every tag is */
  readonly tagMatches?: (tag: string) => boolean;
  /** The image's own non-root user, which the constructs run it as. @default - none: any non-root uid works */
  readonly uid?: number;
  /** That user's group. @default - none */
  readonly gid?: number;
  /** What its default start does as root (it has no `USER`), and so what running it non-root changes. @default - it starts as its non-root `USER` */
  readonly rootFor?: string;
  /** The port it listens on by default. @default - none (the app's own) */
  readonly port?: number;
  /** A name for that port. @default - none */
  readonly portName?: string;
  /** Where it keeps its data (its `VOLUME`). @default - none */
  readonly dataPath?: string;
  /** Directories it writes besides its data, each of which needs a writable mount under a read-only root. */
  readonly writablePaths: readonly string[];
  /** Why it needs a writable root filesystem (it writes among the image's own files, which an emptyDir would hide). @default - a read-only root works */
  readonly writableRoot?: string;
  /** Environment the importer sets to run it on a volume claim. @default - none */
  readonly env?: Readonly<Record<string, string>>;
  /** A database or cache the importer runs as a StatefulSet with a claim at `dataPath`. @default false */
  readonly database?: boolean;
  /** Requests and limits it needs at least. @default - the construct's defaults */
  readonly resources?: ImageResources;
  /** An image of the same software built to run unprivileged, and the port it listens on. @default - none */
  readonly unprivilegedVariant?: { readonly image: string; readonly port: number };
  /** Where each fact comes from: URL and the line that shows it. */
  readonly sources: readonly string[];
}

/** MySQL and MariaDB start with buffers above the construct defaults' 256Mi. */
const MYSQL_RESOURCES: ImageResources = { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } };

/** What mysql and mariadb share; their socket folders differ. */
const MYSQL = {
  uid: 999,
  gid: 999,
  rootFor: 'its entrypoint, started as root, chowns /var/lib/mysql and steps down to mysql (999) with gosu; started as 999 it runs directly',
  port: 3306,
  portName: 'mysql',
  dataPath: '/var/lib/mysql',
  database: true,
  resources: MYSQL_RESOURCES,
} as const;

const isAlpine = (tag: string) => tag.includes('alpine');

/**
 * The major version a postgres tag names (`16.4-alpine` is 16); a tag without one (`latest`,
 * `alpine`, `trixie`) is the newest, 18 or later.
 */
function postgresMajor(tag: string): number {
  const major = /^(\d+)/.exec(tag);
  return major ? Number(major[1]) : Number.POSITIVE_INFINITY;
}
const isPostgres18 = (tag: string) => postgresMajor(tag) >= 18;

/**
 * What the postgres 18+ variants share: PGDATA moved to /var/lib/postgresql/<major>/docker and the
 * VOLUME to /var/lib/postgresql, so the data goes one folder below the volume's root by itself.
 */
const POSTGRES_18 = {
  image: 'postgres',
  port: 5432,
  portName: 'postgres',
  dataPath: '/var/lib/postgresql',
  writablePaths: ['/tmp', '/var/run/postgresql'],
  database: true,
} as const;

const POSTGRES_18_SOURCE = 'https://github.com/docker-library/postgres/blob/master/18/trixie/Dockerfile: "NOTE: in 18+, PGDATA has changed to match the pg_ctlcluster standard '
  + 'directory structure, and the VOLUME has moved from /var/lib/postgresql/data to /var/lib/postgresql", "ENV PGDATA /var/lib/postgresql/18/docker", "VOLUME /var/lib/postgresql"';

/** What the postgres variants up to 17 share; they differ in their user (70 in the alpine images, 999 in the Debian ones). */
const POSTGRES = {
  ...POSTGRES_18,
  dataPath: '/var/lib/postgresql/data',
  // A volume's root may hold lost+found, which initdb refuses: the data goes one folder down.
  env: { PGDATA: '/var/lib/postgresql/data/pgdata' },
} as const;

/** What the redis variants share; they differ in their group (1000 in the alpine images, 999 in the Debian ones). */
const REDIS = {
  image: 'redis',
  uid: 999,
  rootFor: 'its entrypoint, started as root, chowns /data and steps down to redis (999) with gosu; started as 999 it runs directly',
  port: 6379,
  portName: 'redis',
  dataPath: '/data',
  writablePaths: [],
  database: true,
} as const;

/*
 * Variants come before the entry of every tag: the first entry whose name and tag match wins.
 */
const IMAGE_NEEDS: readonly ImageRuntimeNeeds[] = [
  {
    image: 'nginx',
    uid: 101,
    gid: 101,
    rootFor: 'its master process binds port 80 and starts the workers as user nginx (101); started as 101 it runs (port 80 through the pod\'s net.ipv4.ip_unprivileged_port_start)',
    port: 80,
    portName: 'http',
    // Temp files (client_temp, proxy_temp, …) go to /var/cache/nginx, the pid file to /run (/var/run links there).
    writablePaths: ['/var/cache/nginx', '/run', '/tmp'],
    unprivilegedVariant: { image: 'nginxinc/nginx-unprivileged', port: 8080 },
    sources: [
      'https://github.com/nginxinc/docker-nginx/blob/master/mainline/debian/Dockerfile: "addgroup --system --gid 101 nginx", "adduser --system … --uid 101 nginx", "EXPOSE 80" (no USER)',
      'https://github.com/nginxinc/docker-nginx/blob/master/mainline/debian/nginx.conf: "pid /run/nginx.pid;" (/var/run/nginx.pid before 1.27)',
      'https://github.com/nginxinc/docker-nginx-unprivileged/blob/main/mainline/debian/Dockerfile: "sed -i \'s,/var/run/nginx.pid,/tmp/nginx.pid,\'" and the temp paths moved to /tmp: the stock config writes /var/cache/nginx',
      'https://github.com/nginxinc/docker-nginx/blob/master/entrypoint/10-listen-on-ipv6-by-default.sh: "touch /$DEFAULT_CONF_FILE 2>/dev/null || { entrypoint_log \"$ME: info: can not modify /$DEFAULT_CONF_FILE (read-only file system?)\"; exit 0; }": the entrypoint starts on a read-only root',
    ],
  },
  {
    image: 'nginxinc/nginx-unprivileged',
    uid: 101,
    gid: 101,
    port: 8080,
    portName: 'http',
    writablePaths: ['/tmp'],
    sources: [
      'https://github.com/nginxinc/docker-nginx-unprivileged/blob/main/mainline/debian/Dockerfile: "ARG UID=101", "sed -i \'s,listen       80;,listen       8080;,\'", '
        + '"sed -i \'s,/var/run/nginx.pid,/tmp/nginx.pid,\'", "client_body_temp_path /tmp/client_temp;", "EXPOSE 8080", "USER $UID"',
    ],
  },
  {
    image: 'httpd',
    rootFor: 'it binds port 80 as root and serves as user daemon (`User daemon` in httpd.conf); started non-root it keeps its own uid (port 80 through the pod\'s net.ipv4.ip_unprivileged_port_start)',
    port: 80,
    portName: 'http',
    // The pid file: `PidFile` defaults to logs/httpd.pid under ServerRoot /usr/local/apache2.
    writablePaths: ['/usr/local/apache2/logs', '/tmp'],
    sources: [
      'https://github.com/docker-library/httpd/blob/master/2.4/Dockerfile: "ENV HTTPD_PREFIX /usr/local/apache2", "EXPOSE 80", "CMD [\\"httpd-foreground\\"]" (no USER)',
      'https://httpd.apache.org/docs/2.4/mod/mpm_common.html#pidfile: "PidFile … Default: PidFile logs/httpd.pid"',
      'https://github.com/docker-library/httpd/blob/master/2.4/alpine/httpd-foreground: "rm -f /usr/local/apache2/logs/httpd.pid", "exec /usr/local/apache2/bin/httpd -DFOREGROUND" (nothing else as root)',
    ],
  },
  {
    ...POSTGRES_18,
    tags: '18+ alpine',
    tagMatches: (tag) => isPostgres18(tag) && isAlpine(tag),
    uid: 70,
    gid: 70,
    rootFor: 'its entrypoint, started as root, chowns the data folder and steps down to postgres (70) with gosu; started as 70 it runs directly',
    sources: [POSTGRES_18_SOURCE, 'https://github.com/docker-library/postgres/blob/master/18/alpine3.22/Dockerfile: "addgroup -g 70 -S postgres; adduser -u 70 -S -D -G postgres …"'],
  },
  {
    ...POSTGRES_18,
    tags: '18+',
    tagMatches: isPostgres18,
    uid: 999,
    gid: 999,
    rootFor: 'its entrypoint, started as root, chowns the data folder and steps down to postgres (999) with gosu; started as 999 it runs directly',
    sources: [POSTGRES_18_SOURCE, 'https://github.com/docker-library/postgres/blob/master/18/trixie/Dockerfile: "groupadd -r postgres --gid=999", "useradd -r -g postgres --uid=999 …"'],
  },
  {
    ...POSTGRES,
    tags: 'up to 17, alpine',
    tagMatches: isAlpine,
    uid: 70,
    gid: 70,
    rootFor: 'its entrypoint, started as root, chowns the data folder and steps down to postgres (70) with gosu; started as 70 it runs directly',
    sources: [
      'https://github.com/docker-library/postgres/blob/master/16/alpine3.20/Dockerfile: "addgroup -g 70 -S postgres; adduser -u 70 -S -D -G postgres …", '
        + '"install … --mode 3777 /var/run/postgresql", "ENV PGDATA /var/lib/postgresql/data", "EXPOSE 5432"',
    ],
  },
  {
    ...POSTGRES,
    tags: 'up to 17',
    uid: 999,
    gid: 999,
    rootFor: 'its entrypoint, started as root, chowns the data folder and steps down to postgres (999) with gosu; started as 999 it runs directly',
    sources: [
      'https://github.com/docker-library/postgres/blob/master/16/bookworm/Dockerfile: "groupadd -r postgres --gid=999", "useradd -r -g postgres --uid=999 …", '
        + '"install … --mode 3777 /var/run/postgresql", "ENV PGDATA /var/lib/postgresql/data", "EXPOSE 5432"',
    ],
  },
  {
    ...MYSQL,
    image: 'mysql',
    writablePaths: ['/tmp', '/var/run/mysqld'],
    sources: [
      'https://github.com/docker-library/mysql/blob/master/8.4/Dockerfile.oracle: "groupadd --system --gid 999 mysql", "useradd --system --uid 999 --gid 999 …", '
        + '"sed -i \'s!^socket=.*!socket=/var/run/mysqld/mysqld.sock!\' /etc/my.cnf", "VOLUME /var/lib/mysql", "EXPOSE 3306 33060"',
    ],
  },
  {
    ...MYSQL,
    image: 'mariadb',
    writablePaths: ['/tmp', '/run/mysqld'],
    sources: [
      'https://github.com/MariaDB/mariadb-docker/blob/master/11.4/Dockerfile: "groupadd -r mysql && useradd -r -g mysql mysql --home-dir /var/lib/mysql" '
        + '(the first system uid of the Ubuntu base, 999; the UBI variant writes "--uid 999"), "mkdir -p /var/lib/mysql /run/mysqld", "VOLUME /var/lib/mysql", "EXPOSE 3306"',
    ],
  },
  {
    ...REDIS,
    tags: 'alpine',
    tagMatches: isAlpine,
    gid: 1000,
    sources: [
      'https://github.com/docker-library/repo-info/blob/master/repos/redis/remote/alpine.md: "addgroup -S -g 1000 redis; adduser -S -G redis -u 999 redis", "WORKDIR /data", "EXPOSE 6379"',
    ],
  },
  {
    ...REDIS,
    gid: 999,
    sources: [
      'https://github.com/docker-library/repo-info/blob/master/repos/redis/remote/latest.md: "groupadd -r -g 999 redis; useradd -r -g redis -u 999 redis", "WORKDIR /data", "EXPOSE 6379"',
    ],
  },
  {
    image: 'mongo',
    uid: 999,
    gid: 999,
    rootFor: 'its entrypoint, started as root, chowns /data/db and /data/configdb and steps down to mongodb (999) with gosu; started as 999 it runs directly',
    port: 27017,
    portName: 'mongodb',
    dataPath: '/data/db',
    // The entrypoint writes a temporary config to $TMPDIR (/tmp); /data/configdb is the image's other VOLUME.
    writablePaths: ['/tmp', '/data/configdb'],
    database: true,
    sources: [
      'https://github.com/docker-library/mongo/blob/master/7.0/Dockerfile: "groupadd --gid 999 --system mongodb", "useradd --uid 999 --system --gid mongodb --home-dir /data/db mongodb", '
        + '"VOLUME /data/db /data/configdb", "EXPOSE 27017"',
      'https://github.com/docker-library/mongo/blob/master/7.0/docker-entrypoint.sh: "tempConfigFile=\\"${TMPDIR:-/tmp}/docker-entrypoint-temp-config.json\\""',
    ],
  },
  {
    image: 'wordpress',
    uid: 33,
    gid: 33,
    rootFor: 'Apache binds port 80 as root and serves as www-data (33); started as 33 the entrypoint copies WordPress into /var/www/html as that user (port 80 through the pod\'s net.ipv4.ip_unprivileged_port_start)',
    port: 80,
    portName: 'http',
    dataPath: '/var/www/html',
    // APACHE_RUN_DIR and APACHE_LOCK_DIR of Debian's apache2 (/etc/apache2/envvars).
    writablePaths: ['/var/run/apache2', '/var/lock/apache2', '/tmp'],
    sources: [
      'https://github.com/docker-library/wordpress/blob/master/latest/php8.3/apache/Dockerfile: "FROM php:8.3-apache", "VOLUME /var/www/html", "chown -R www-data:www-data /var/www/html"',
      'https://github.com/docker-library/php/blob/master/8.3/bookworm/apache/Dockerfile: "ENV APACHE_ENVVARS $APACHE_CONFDIR/envvars", "EXPOSE 80", "chown -R www-data:www-data … \\"$APACHE_RUN_DIR\\" \\"$APACHE_LOCK_DIR\\""',
      'https://github.com/docker-library/php/blob/master/8.3/bookworm/apache/Dockerfile: "# allow running as an arbitrary user (https://github.com/docker-library/php/issues/743)", "chmod 1777 \\"$dir\\"" (the lock, run and log folders), "ln -sfT /dev/stderr \\"$APACHE_LOG_DIR/error.log\\""',
      'https://github.com/docker-library/wordpress/blob/master/beta/php8.3/apache/docker-entrypoint.sh: (the entrypoint of every apache variant, from one template) "if [ \\"$uid\\" = \'0\' ]; then … else user=\\"$uid\\" group=\\"$gid\\"", "targetTarArgs+=( --no-overwrite-dir )" (non-root it copies WordPress as itself)',
    ],
  },
  {
    image: 'elasticsearch',
    uid: 1000,
    gid: 0,
    port: 9200,
    portName: 'http',
    dataPath: '/usr/share/elasticsearch/data',
    writablePaths: ['/usr/share/elasticsearch/logs', '/tmp'],
    writableRoot: 'Elasticsearch writes its keystore into /usr/share/elasticsearch/config, among the image\'s own config files',
    sources: [
      'https://www.elastic.co/guide/en/elasticsearch/reference/8.17/docker.html: "Elasticsearch runs inside the container as user elasticsearch using uid:gid 1000:0", '
        + '"this user must have write access to the config, data and log dirs (Elasticsearch needs write access to the config directory so that it can generate a keystore)"',
      'https://github.com/docker-library/repo-info/blob/master/repos/elasticsearch/remote/8.17.10.md: "USER 1000:0", "EXPOSE 9200 9300"',
    ],
  },
  {
    image: 'opensearchproject/opensearch',
    uid: 1000,
    gid: 1000,
    port: 9200,
    portName: 'http',
    dataPath: '/usr/share/opensearch/data',
    writablePaths: ['/usr/share/opensearch/logs', '/tmp'],
    writableRoot: 'its entrypoint installs the demo security configuration (certificates, opensearch.yml) into /usr/share/opensearch/config, among the image\'s own config files',
    sources: [
      'https://github.com/opensearch-project/opensearch-build/blob/main/docker/release/dockerfiles/opensearch.al2.dockerfile: "ARG UID=1000", "ARG GID=1000", "USER $UID", "EXPOSE 9200 9300 9600 9650"',
    ],
  },
  {
    image: 'rabbitmq',
    uid: 999,
    gid: 999,
    rootFor: 'its entrypoint, started as root, chowns /var/lib/rabbitmq and steps down to rabbitmq (999) with gosu; started as 999 it runs directly',
    port: 5672,
    portName: 'amqp',
    dataPath: '/var/lib/rabbitmq',
    // Its HOME (the Erlang cookie) is the data path; /etc/rabbitmq is only read (an emptyDir there would hide conf.d/).
    writablePaths: ['/var/log/rabbitmq', '/tmp'],
    sources: [
      'https://github.com/docker-library/rabbitmq/blob/master/4.0/ubuntu/Dockerfile: "ENV RABBITMQ_DATA_DIR /var/lib/rabbitmq", "groupadd --gid 999 --system rabbitmq", '
        + '"useradd --uid 999 --system --home-dir \\"$RABBITMQ_DATA_DIR\\" --gid rabbitmq rabbitmq", '
        + '"chown -fR rabbitmq:rabbitmq \\"$RABBITMQ_DATA_DIR\\" /etc/rabbitmq /etc/rabbitmq/conf.d /tmp/rabbitmq-ssl /var/log/rabbitmq", "EXPOSE 4369 5671 5672 15691 15692 25672"',
    ],
  },
  {
    image: 'memcached',
    uid: 11211,
    gid: 11211,
    port: 11211,
    portName: 'memcached',
    writablePaths: [],
    sources: [
      'https://github.com/docker-library/memcached/blob/master/1/debian/Dockerfile: "groupadd --system --gid 11211 memcache", "useradd --system --gid memcache --uid 11211 memcache", "USER memcache", "EXPOSE 11211"',
    ],
  },
  {
    image: 'traefik',
    rootFor: 'it runs as root and its default entry point binds port 80; non-root it runs as any uid (port 80 through the pod\'s net.ipv4.ip_unprivileged_port_start)',
    port: 80,
    portName: 'http',
    writablePaths: ['/tmp'],
    sources: [
      'https://github.com/traefik/traefik-library-image/blob/master/v3.1/alpine/Dockerfile: "EXPOSE 80", "ENTRYPOINT [\\"/entrypoint.sh\\"]", "CMD [\\"traefik\\"]" (no USER)',
      'https://doc.traefik.io/traefik/routing/entrypoints/: "If no entryPoint is defined, Traefik creates … http on port 80"',
    ],
  },
  {
    image: 'grafana/grafana',
    uid: 472,
    gid: 0,
    port: 3000,
    portName: 'http',
    dataPath: '/var/lib/grafana',
    writablePaths: ['/var/log/grafana', '/tmp'],
    sources: [
      'https://github.com/grafana/grafana/blob/main/Dockerfile: "ARG GF_UID=\\"472\\"", "ARG GF_GID=\\"0\\"", "GF_PATHS_DATA=\\"/var/lib/grafana\\"", "GF_PATHS_LOGS=\\"/var/log/grafana\\"", "EXPOSE 3000", "USER \\"$GF_UID\\""',
    ],
  },
  {
    image: 'prom/prometheus',
    uid: 65534,
    gid: 65534,
    port: 9090,
    portName: 'http',
    dataPath: '/prometheus',
    writablePaths: [],
    sources: [
      'https://github.com/prometheus/prometheus/blob/main/Dockerfile: "USER nobody" (65534 in its busybox base), "EXPOSE 9090", "VOLUME [ \\"/prometheus\\" ]", "--storage.tsdb.path=/prometheus"',
    ],
  },
  {
    image: 'node',
    uid: 1000,
    gid: 1000,
    rootFor: 'it runs as root unless told otherwise; its user node (1000) is there for apps to use',
    writablePaths: ['/tmp'],
    sources: [
      'https://github.com/nodejs/docker-node/blob/main/22/bookworm/Dockerfile: "groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node" (no USER)',
    ],
  },
  {
    image: 'python',
    rootFor: 'it runs as root and has no user of its own; the app\'s code runs as any uid',
    writablePaths: ['/tmp'],
    sources: [
      'https://github.com/docker-library/python/blob/master/3.12/bookworm/Dockerfile: no useradd and no USER; "CMD [\\"python3\\"]"',
    ],
  },
];

/**
 * What the table knows of `image`, or `undefined` for an image it does not know (an app's own, or
 * one from a registry other than Docker Hub). Tag variants count: `postgres:16-alpine` runs as
 * uid 70, `postgres:16` as 999, and `postgres:18` keeps its data under /var/lib/postgresql.
 */
export function imageRuntimeNeeds(image: string): ImageRuntimeNeeds | undefined {
  const name = dockerHubName(image);
  if (name === undefined) return undefined;
  // An untagged image is `latest`; a digest alone names no variant, and is taken for `latest` too.
  const tag = parseImageReference(image).tag || 'latest';
  return IMAGE_NEEDS.find((entry) => entry.image === name && (entry.tagMatches?.(tag) ?? true));
}

/** Every entry of the table, for documentation and tests. */
export function knownImageNeeds(): readonly ImageRuntimeNeeds[] {
  return IMAGE_NEEDS;
}
