/**
 * What common official images need at run time (their user, the paths they write, the port they
 * listen on, whether their default start needs root), so that the constructs can run them under
 * the restricted defaults (non-root, read-only root filesystem, no capabilities) or say why not.
 * Each entry cites the Dockerfile or documentation line that shows it.
 */
import { dockerHubName, parseImageReference } from './image-reference';

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
  /** Environment the presets (and so the importer) set to run it on a volume claim. @default - none */
  readonly env?: Readonly<Record<string, string>>;
  /** A database or cache the importer runs as a StatefulSet with a claim at `dataPath`. @default false */
  readonly database?: boolean;
  /** An image of the same software built to run unprivileged, and the port it listens on. @default - none */
  readonly unprivilegedVariant?: { readonly image: string; readonly port: number };
  /**
   * Where each fact comes from: a URL, then the lines there that show it (quoted, or in our words
   * where long); a fact no source shows says so and how it is known.
   */
  readonly sources: readonly string[];
}

/** What mysql and mariadb share; their socket folders differ. */
const MYSQL = {
  uid: 999,
  gid: 999,
  rootFor: 'its entrypoint, started as root, chowns its data and socket folders and re-runs itself as mysql (999) with gosu; started as 999 it runs directly',
  port: 3306,
  portName: 'mysql',
  dataPath: '/var/lib/mysql',
  database: true,
} as const;

/** Why mysql and mariadb write /tmp: their server's temporary files. */
const MYSQL_TMPDIR_SOURCE = 'https://dev.mysql.com/doc/refman/8.4/en/temporary-files.html: "On Unix, MySQL uses the value of the TMPDIR environment variable … '
  + 'If TMPDIR is not set, MySQL uses the system default, which is usually /tmp" (MariaDB\'s tmpdir works the same way; neither image sets TMPDIR)';

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

/** How every postgres variant starts as root, and why it writes /tmp. */
const POSTGRES_ENTRYPOINT_SOURCE = 'https://github.com/docker-library/postgres/blob/master/docker-entrypoint.sh: as root, "find \\"$PGDATA\\" \\! -user postgres -exec chown postgres" '
  + '(and the same for /var/run/postgresql), then "exec gosu postgres \\"$BASH_SOURCE\\" \\"$@\\"" (su-exec, a link to gosu, in the alpine images up to 16); '
  + '/tmp is in no Dockerfile line: the entrypoint writes there (its "mktemp" nss_wrapper files) only for a uid missing from /etc/passwd, '
  + 'which 70 and 999 are not; kept as the constructs\' default';

const POSTGRES_18_SOURCE = 'https://github.com/docker-library/postgres/blob/master/18/trixie/Dockerfile: "NOTE: in 18+, PGDATA has changed to match the pg_ctlcluster standard '
  + 'directory structure, and the VOLUME has moved from /var/lib/postgresql/data to /var/lib/postgresql", "ENV PGDATA /var/lib/postgresql/18/docker", "VOLUME /var/lib/postgresql", '
  + '"install … --mode 3777 /var/run/postgresql", "EXPOSE 5432"';

/** What the postgres variants up to 17 share; they differ in their user (70 in the alpine images, 999 in the Debian ones). */
const POSTGRES = {
  ...POSTGRES_18,
  dataPath: '/var/lib/postgresql/data',
  // A volume's root may hold lost+found, which initdb refuses: the data goes one folder down.
  env: { PGDATA: '/var/lib/postgresql/data/pgdata' },
} as const;

const POSTGRES_PGDATA_SOURCE = 'https://github.com/docker-library/docs/blob/master/postgres/content.md: PGDATA "The default is /var/lib/postgresql/data, but if the data volume '
  + 'you\'re using is a fs mountpoint …, Postgres initdb recommends a subdirectory (for example /var/lib/postgresql/data/pgdata)"';

/** What the redis variants share; they differ in their group (1000 in the alpine images, 999 in the Debian ones). */
const REDIS = {
  image: 'redis',
  uid: 999,
  rootFor: 'its entrypoint, started as root, chowns /data and re-runs itself as redis (999); started as 999 it runs directly',
  port: 6379,
  portName: 'redis',
  dataPath: '/data',
  writablePaths: [],
  database: true,
} as const;

/** How every redis variant starts as root; it writes nothing outside /data (its WORKDIR, where the RDB and AOF files go). */
const REDIS_ENTRYPOINT_SOURCE = 'https://github.com/docker-library/redis/blob/master/docker-entrypoint.sh: as root, "find . \\! -user redis -exec chown redis \'{}\' +" in /data, '
  + 'then it re-runs itself as redis (with gosu, su-exec or setpriv, by version); redis 8 images drop the VOLUME line '
  + '(https://github.com/docker-library/repo-info/blob/master/repos/redis/remote/8-alpine.md) but keep "WORKDIR /data", where redis writes its files';

/** What the rabbitmq variants share; they differ in their user (999:999 on Ubuntu, 100:101 on alpine). */
const RABBITMQ = {
  image: 'rabbitmq',
  port: 5672,
  portName: 'amqp',
  dataPath: '/var/lib/rabbitmq',
  // Its HOME (the Erlang cookie) is the data path; /etc/rabbitmq is only read (an emptyDir there would hide conf.d/),
  // and /var/log/rabbitmq stays empty: it logs to the console only (see the sources).
  writablePaths: ['/tmp'],
} as const;

const RABBITMQ_ENTRYPOINT_SOURCE = 'https://github.com/docker-library/rabbitmq/blob/master/docker-entrypoint.sh: as root, "chown -R rabbitmq /var/lib/rabbitmq" then '
  + '"exec gosu rabbitmq \\"$BASH_SOURCE\\" \\"$@\\"" (su-exec in the alpine images); older versions of it write /etc/rabbitmq/rabbitmq.config, but only for the deprecated '
  + 'RABBITMQ_* settings variables, and /tmp/combined.pem only with TLS; /tmp is in no Dockerfile line: the constructs\' default';

const RABBITMQ_LOG_SOURCE = 'https://www.rabbitmq.com/docs/logging: "Nodes log to a file by default, if no outputs are explicitly configured. If some are configured, '
  + 'they will be used" (since 3.9.0): the image\'s conf.d/10-defaults.conf configures "log.console = true", so nothing is written to /var/log/rabbitmq';

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
      'https://github.com/nginxinc/docker-nginx-unprivileged/blob/main/mainline/debian/Dockerfile: "sed -i \'s,/var/run/nginx.pid,/tmp/nginx.pid,\' /etc/nginx/nginx.conf": the stock config (from nginx\'s own package) writes its pid file to /var/run, which links to /run on Debian',
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
    rootFor: 'its entrypoint, started as root, chowns the data folder and re-runs itself as postgres (70); started as 70 it runs directly',
    sources: [
      'https://github.com/docker-library/postgres/blob/master/18/alpine3.22/Dockerfile: "addgroup -g 70 -S postgres", "adduser -u 70 -S -D -G postgres …" '
        + '("70 is the standard uid/gid for \\"postgres\\" in Alpine"); the rest as in the Debian image',
      POSTGRES_18_SOURCE,
      POSTGRES_ENTRYPOINT_SOURCE,
    ],
  },
  {
    ...POSTGRES_18,
    tags: '18+',
    tagMatches: isPostgres18,
    uid: 999,
    gid: 999,
    rootFor: 'its entrypoint, started as root, chowns the data folder and re-runs itself as postgres (999); started as 999 it runs directly',
    sources: [POSTGRES_18_SOURCE + ', "groupadd -r postgres --gid=999", "useradd -r -g postgres --uid=999 …"', POSTGRES_ENTRYPOINT_SOURCE],
  },
  {
    ...POSTGRES,
    tags: 'up to 17, alpine',
    tagMatches: isAlpine,
    uid: 70,
    gid: 70,
    rootFor: 'its entrypoint, started as root, chowns the data folder and re-runs itself as postgres (70); started as 70 it runs directly',
    sources: [
      'https://github.com/docker-library/postgres/blob/master/16/alpine3.20/Dockerfile: "addgroup -g 70 -S postgres", "adduser -u 70 -S -D -G postgres …", '
        + '"install … --mode 3777 /var/run/postgresql", "ENV PGDATA /var/lib/postgresql/data", "VOLUME /var/lib/postgresql/data", "EXPOSE 5432"',
      POSTGRES_PGDATA_SOURCE,
      POSTGRES_ENTRYPOINT_SOURCE,
    ],
  },
  {
    ...POSTGRES,
    tags: 'up to 17',
    uid: 999,
    gid: 999,
    rootFor: 'its entrypoint, started as root, chowns the data folder and re-runs itself as postgres (999); started as 999 it runs directly',
    sources: [
      'https://github.com/docker-library/postgres/blob/master/16/bookworm/Dockerfile: "groupadd -r postgres --gid=999", "useradd -r -g postgres --uid=999 …", '
        + '"install … --mode 3777 /var/run/postgresql", "ENV PGDATA /var/lib/postgresql/data", "VOLUME /var/lib/postgresql/data", "EXPOSE 5432"',
      POSTGRES_PGDATA_SOURCE,
      POSTGRES_ENTRYPOINT_SOURCE,
    ],
  },
  {
    ...MYSQL,
    image: 'mysql',
    writablePaths: ['/tmp', '/var/run/mysqld'],
    sources: [
      'https://github.com/docker-library/mysql/blob/master/8.4/Dockerfile.oracle: "groupadd --system --gid 999 mysql", "useradd --system --uid 999 --gid 999 …", '
        + '"sed -i \'s!^socket=.*!socket=/var/run/mysqld/mysqld.sock!\' /etc/my.cnf", "chmod 1777 /var/lib/mysql /var/run/mysqld" (the socket and lock files), '
        + '"VOLUME /var/lib/mysql", "EXPOSE 3306 33060"',
      'https://github.com/docker-library/mysql/blob/master/8.4/docker-entrypoint.sh: as root, "find \\"${!dirs[@]}\\" \\! -user mysql -exec chown --no-dereference mysql" '
        + '(the datadir and the socket\'s folder), then "exec gosu mysql \\"$BASH_SOURCE\\" \\"$@\\""',
      MYSQL_TMPDIR_SOURCE,
    ],
  },
  {
    ...MYSQL,
    image: 'mariadb',
    tags: 'ubi',
    tagMatches: (tag) => tag.includes('ubi'),
    writablePaths: ['/tmp', '/run/mariadb'],
    sources: [
      'https://github.com/MariaDB/mariadb-docker/blob/master/11.4-ubi/Dockerfile: "user 999/ group 999, that we want to use for compatibility with the ubuntu image", '
        + '"groupadd --gid 999 -r mysql", "useradd -r -g mysql mysql --home-dir /var/lib/mysql --uid 999", "chmod ugo+rwx,o+t /run/mariadb", "VOLUME /var/lib/mysql", "EXPOSE 3306"',
      'https://github.com/MariaDB/mariadb-docker/blob/master/11.4-ubi/docker.cnf: "socket=/run/mariadb/mariadb.sock" (not /run/mysqld as on Ubuntu)',
      MYSQL_TMPDIR_SOURCE,
    ],
  },
  {
    ...MYSQL,
    image: 'mariadb',
    writablePaths: ['/tmp', '/run/mysqld'],
    sources: [
      'https://github.com/MariaDB/mariadb-docker/blob/master/11.4/Dockerfile: "groupadd -r mysql && useradd -r -g mysql mysql --home-dir /var/lib/mysql" (no uid: useradd -r '
        + 'takes the highest free system uid, 999, in the Ubuntu base; the UBI Dockerfile pins 999 "for compatibility with the ubuntu image"), "mkdir -p /var/lib/mysql /run/mysqld", '
        + '"chmod 1777 /run/mysqld" ("used for socket and lock files"), "VOLUME /var/lib/mysql", "EXPOSE 3306"',
      'https://github.com/MariaDB/mariadb-docker/blob/master/11.4/docker-entrypoint.sh: "docker_create_db_directories" (as root it chowns the datadir and the socket\'s folder), '
        + 'then "exec gosu mysql \\"${BASH_SOURCE[0]}\\" \\"$@\\""',
      MYSQL_TMPDIR_SOURCE,
    ],
  },
  {
    ...REDIS,
    tags: 'alpine',
    tagMatches: isAlpine,
    gid: 1000,
    sources: [
      'https://github.com/docker-library/repo-info/blob/master/repos/redis/remote/7.2-alpine.md: "addgroup -S -g 1000 redis; adduser -S -G redis -u 999 redis", '
        + '"mkdir /data && chown redis:redis /data", "VOLUME [/data]", "WORKDIR /data", "EXPOSE map[6379/tcp:{}]"',
      REDIS_ENTRYPOINT_SOURCE,
    ],
  },
  {
    ...REDIS,
    gid: 999,
    sources: [
      'https://github.com/docker-library/repo-info/blob/master/repos/redis/remote/7.2-bookworm.md: "groupadd -r -g 999 redis; useradd -r -g redis -u 999 redis", '
        + '"mkdir /data && chown redis:redis /data", "VOLUME [/data]", "WORKDIR /data", "EXPOSE map[6379/tcp:{}]"',
      REDIS_ENTRYPOINT_SOURCE,
    ],
  },
  {
    image: 'mongo',
    uid: 999,
    gid: 999,
    rootFor: 'its entrypoint, started as root, chowns /data/db and /data/configdb and re-runs itself as mongodb (999) with gosu; started as 999 it runs directly',
    port: 27017,
    portName: 'mongodb',
    dataPath: '/data/db',
    // The entrypoint writes a temporary config to $TMPDIR (/tmp), mongod its socket; /data/configdb is the image's other VOLUME.
    writablePaths: ['/tmp', '/data/configdb'],
    database: true,
    sources: [
      'https://github.com/docker-library/mongo/blob/master/7.0/Dockerfile: "groupadd --gid 999 --system mongodb", "useradd --uid 999 --system --gid mongodb --home-dir /data/db mongodb", '
        + '"mkdir -p /data/db /data/configdb", "VOLUME /data/db /data/configdb", "EXPOSE 27017"',
      'https://github.com/docker-library/mongo/blob/master/7.0/docker-entrypoint.sh: as root, "find /data/configdb /data/db \\! -user mongodb -exec chown mongodb" then '
        + '"exec gosu mongodb \\"$BASH_SOURCE\\" \\"$@\\""; "tempConfigFile=\\"${TMPDIR:-/tmp}/docker-entrypoint-temp-config.json\\""',
      'https://www.mongodb.com/docs/manual/reference/configuration-options/#mongodb-setting-net.unixDomainSocket.pathPrefix: mongod\'s socket goes to /tmp by default (/tmp/mongodb-27017.sock)',
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
    // Its JVM writes the GC log to logs/ and its temporary directory to /tmp.
    writablePaths: ['/usr/share/elasticsearch/logs', '/tmp'],
    writableRoot: 'Elasticsearch writes its keystore into /usr/share/elasticsearch/config, among the image\'s own config files',
    sources: [
      'https://www.elastic.co/guide/en/elasticsearch/reference/8.17/docker.html: "By default, Elasticsearch runs inside the container as user elasticsearch using uid:gid 1000:0", '
        + '"this user must have write access to the config, data and log dirs (Elasticsearch needs write access to the config directory so that it can generate a keystore)"',
      'https://github.com/docker-library/repo-info/blob/master/repos/elasticsearch/remote/8.19.22.md: "useradd --uid 1000 --gid 1000 … elasticsearch", '
        + '"chown elasticsearch bin config config/jvm.options.d data logs plugins", "EXPOSE map[9200/tcp:{} 9300/tcp:{}]", "USER 1000:0"',
      'https://www.elastic.co/guide/en/elasticsearch/reference/7.6/gc-logging.html: "By default, Elasticsearch enables GC logs. These are configured in jvm.options and output '
        + 'to the same default location as the Elasticsearch logs" (logs/ under its home)',
      'https://www.elastic.co/guide/en/elasticsearch/reference/8.17/important-settings.html#es-tmpdir: by default the startup script makes a private temporary directory '
        + 'right below the system\'s (/tmp)',
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
      'https://github.com/opensearch-project/opensearch-build/blob/main/docker/release/dockerfiles/opensearch.al2023.dockerfile: "ARG UID=1000", "ARG GID=1000", '
        + '"groupadd -g $GID opensearch && adduser -u $UID -g $GID -d $OPENSEARCH_HOME opensearch", "mkdir -p $OPENSEARCH_HOME/data", "USER $UID", "EXPOSE 9200 9300 9600 9650"',
      'https://github.com/opensearch-project/opensearch-build/blob/main/docker/release/config/opensearch/opensearch-docker-entrypoint-2.x.sh: unless DISABLE_INSTALL_DEMO_CONFIG=true, '
        + '"bash $OPENSEARCH_HOME/plugins/$SECURITY_PLUGIN/tools/install_demo_configuration.sh -y -i -s" (it writes into config/); the performance analyzer logs to '
        + '"$OPENSEARCH_HOME/logs/PerformanceAnalyzer.log"; "OpenSearch cannot run as root"',
    ],
  },
  {
    ...RABBITMQ,
    tags: 'alpine',
    tagMatches: isAlpine,
    uid: 100,
    gid: 101,
    rootFor: 'its entrypoint, started as root, chowns /var/lib/rabbitmq and re-runs itself as rabbitmq (100) with su-exec; started as 100 it runs directly',
    sources: [
      'https://github.com/docker-library/rabbitmq/blob/master/4.0/alpine/Dockerfile: "addgroup -g 101 -S rabbitmq", "adduser -u 100 -S -h \\"$RABBITMQ_DATA_DIR\\" -G rabbitmq rabbitmq" '
        + '(not 999 as on Ubuntu), "ENV RABBITMQ_DATA_DIR=/var/lib/rabbitmq", "VOLUME $RABBITMQ_DATA_DIR", "EXPOSE 4369 5671 5672 15691 15692 25672"',
      RABBITMQ_ENTRYPOINT_SOURCE,
      RABBITMQ_LOG_SOURCE,
    ],
  },
  {
    ...RABBITMQ,
    uid: 999,
    gid: 999,
    rootFor: 'its entrypoint, started as root, chowns /var/lib/rabbitmq and re-runs itself as rabbitmq (999) with gosu; started as 999 it runs directly',
    sources: [
      'https://github.com/docker-library/rabbitmq/blob/master/4.0/ubuntu/Dockerfile: "ENV RABBITMQ_DATA_DIR=/var/lib/rabbitmq", "groupadd --gid 999 --system rabbitmq", '
        + '"useradd --uid 999 --system --home-dir \\"$RABBITMQ_DATA_DIR\\" --gid rabbitmq rabbitmq", "VOLUME $RABBITMQ_DATA_DIR", "EXPOSE 4369 5671 5672 15691 15692 25672"',
      RABBITMQ_ENTRYPOINT_SOURCE,
      RABBITMQ_LOG_SOURCE,
    ],
  },
  {
    image: 'memcached',
    uid: 11211,
    gid: 11211,
    port: 11211,
    portName: 'memcached',
    // It keeps its items in memory and writes no file.
    writablePaths: [],
    sources: [
      'https://github.com/docker-library/memcached/blob/master/1/debian/Dockerfile: "groupadd --system --gid 11211 memcache", "useradd --system --gid memcache --uid 11211 memcache", '
        + '"USER memcache", "EXPOSE 11211" (the alpine Dockerfile: "addgroup -g 11211 memcache", "adduser -D -u 11211 -G memcache memcache")',
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
    // Plugins go to /var/lib/grafana/plugins, under the data path; it logs to the console only (see the sources).
    dataPath: '/var/lib/grafana',
    writablePaths: ['/tmp'],
    sources: [
      'https://github.com/grafana/grafana/blob/main/Dockerfile: "ARG GF_UID=\\"472\\"", "ARG GF_GID=\\"0\\"", "GF_PATHS_DATA=\\"/var/lib/grafana\\"", '
        + '"GF_PATHS_PLUGINS=\\"/var/lib/grafana/plugins\\"", "EXPOSE 3000", "USER \\"$GF_UID\\""',
      'https://github.com/grafana/grafana/blob/main/packaging/docker/run.sh: "if [ ! -w \\"$GF_PATHS_DATA\\" ]" (the one path it checks for writing), '
        + '"cfg:default.log.mode=\\"console\\"": nothing goes to GF_PATHS_LOGS (/var/log/grafana) unless GF_LOG_MODE adds file, which then needs it writable; '
        + '/tmp is in no line of either file: the constructs\' default',
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
      'https://github.com/prometheus/prometheus/blob/main/Dockerfile: "chown -R nobody:nobody etc/prometheus /prometheus", "USER nobody" (65534 in its busybox base), '
        + '"EXPOSE 9090", "VOLUME [ \\"/prometheus\\" ]", "WORKDIR /prometheus", "--storage.tsdb.path=/prometheus"',
    ],
  },
  {
    image: 'node',
    uid: 1000,
    gid: 1000,
    rootFor: 'it runs as root unless told otherwise; its user node (1000) is there for apps to use',
    writablePaths: ['/tmp'],
    sources: [
      'https://github.com/nodejs/docker-node/blob/main/22/bookworm/Dockerfile: "groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node", '
        + '"CMD [ \\"node\\" ]" (no USER, no EXPOSE); the alpine Dockerfile: "addgroup -g 1000 node && adduser -u 1000 -G node -s /bin/sh -D node"; /tmp: the constructs\' default',
    ],
  },
  {
    image: 'python',
    rootFor: 'it runs as root and has no user of its own; the app\'s code runs as any uid',
    writablePaths: ['/tmp'],
    sources: [
      'https://github.com/docker-library/python/blob/master/3.12/bookworm/Dockerfile: no useradd, no USER and no EXPOSE; "CMD [\\"python3\\"]"; /tmp: the constructs\' default',
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
