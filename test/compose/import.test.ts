import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ComposeError, importCompose, renderImport } from '../../lib/compose/import';
import { parseCompose } from '../../lib/compose/parse';
import { formatWarning, planImport } from '../../lib/compose/plan';

const REPO = path.resolve(__dirname, '../..');
const FIXTURES = path.join(REPO, 'test/fixtures/compose');
const fixture = (name: string) => path.join(FIXTURES, name, 'docker-compose.yml');

/** The importer's files and warnings for a fixture, as if written into `apps/<app>`. */
function imported(name: string, app = name) {
  const file = fixture(name);
  return renderImport(fs.readFileSync(file, 'utf8'), file, { out: path.join(REPO, 'apps', app) });
}

function plan(yaml: string) {
  return planImport(parseCompose(yaml, 'docker-compose.yml'), 'docker-compose.yml');
}

/** One generated file of the import of `yaml`. */
function importedSource(yaml: string, file: string): string {
  return renderImport(yaml, 'docker-compose.yml', { out: path.join(os.tmpdir(), 'app') }).files.find((f) => f.file === file)!.content;
}

function warnings(yaml: string): string[] {
  return plan(yaml).warnings.map(formatWarning);
}

describe('compose forms', () => {
  test('environment as a list and as a map; numbers become strings; a bare name is taken from the shell and reported', () => {
    const listed = parseCompose('services: { a: { image: a:1, environment: ["X=1", "Y=a=b", "Z"] } }', 'f').services[0];
    expect(listed.environment).toEqual([['X', '1'], ['Y', 'a=b'], ['Z', undefined]]);
    const mapped = parseCompose('services: { a: { image: a:1, environment: { X: 1, Y: true, Z: null } } }', 'f').services[0];
    expect(mapped.environment).toEqual([['X', '1'], ['Y', 'true'], ['Z', undefined]]);
    expect(warnings('services: { a: { image: a:1, environment: [Z] } }')).toContain(
      'a: environment: Z has no value in the file (compose takes it from the shell) and was left out');
  });

  test('ports in short and long syntax, with host IPs, protocols and ranges; expose', () => {
    const service = parseCompose(`
services:
  a:
    image: a:1
    ports: ["80", "8080:80", "127.0.0.1:8443:443", "53/udp", { target: 9000, published: "9000" }, "3000-3002:3000-3002"]
    expose: ["9100", 9200]
`, 'f').services[0];
    expect(service.ports).toEqual([
      { target: 80, published: undefined, protocol: 'tcp' },
      { target: 80, published: '8080', protocol: 'tcp' },
      { target: 443, published: '8443', protocol: 'tcp' },
      { target: 53, published: undefined, protocol: 'udp' },
      { target: 9000, published: '9000', protocol: 'tcp' },
      { target: 3000, published: '3000-3002', protocol: 'tcp', range: '3000-3002' },
    ]);
    expect(service.expose.map((p) => p.target)).toEqual([9100, 9200]);
  });

  test('an unset variable without a default becomes empty, as in compose, with one warning naming it and every place it is used', () => {
    const yaml = 'services: { a: { image: a:1, environment: ["X=${HOST}:${PORT}", "Y=${HOST}"], command: "run ${HOST}" } }';
    expect(plan(yaml).services[0].env).toEqual([['X', ':'], ['Y', '']]);
    expect(warnings(yaml).filter((w) => w.startsWith('interpolation'))).toEqual([
      'interpolation: ${HOST} is not set (the importer reads the .env file next to the compose file, not the shell) and has no default: '
        + 'it became an empty string, as compose makes it, in services.a.environment[0], services.a.environment[1], services.a.command '
        + '(set it in .env, or give it a default: ${HOST:-value})',
      'interpolation: ${PORT} is not set (the importer reads the .env file next to the compose file, not the shell) and has no default: '
        + 'it became an empty string, as compose makes it, in services.a.environment[0] (set it in .env, or give it a default: ${PORT:-value})',
    ]);
  });

  test('depends_on as a list and as a map with conditions; a condition other than service_started is reported', () => {
    const yaml = 'services: { db: { image: postgres:16 }, a: { image: a:1, depends_on: { db: { condition: service_healthy } } }, b: { image: b:1, depends_on: [a] } }';
    const services = parseCompose(yaml, 'f').services;
    expect(services[1].dependsOn).toEqual([{ service: 'db', condition: 'service_healthy' }]);
    expect(services[2].dependsOn).toEqual([{ service: 'a', condition: 'service_started' }]);
    expect(warnings(yaml).filter((w) => /^\w+: depends_on/.test(w))).toEqual([expect.stringMatching(/^a: depends_on: db: condition service_healthy not converted/)]);
  });

  test('healthcheck test in string, CMD, CMD-SHELL and NONE forms, with durations', () => {
    const check = (test: string) => parseCompose(`services: { a: { image: a:1, healthcheck: { test: ${test}, interval: 1m30s, timeout: 5s, retries: 2, start_period: 500ms } } }`, 'f').services[0].healthcheck;
    expect(check('"pg_isready"')).toEqual({ test: ['CMD-SHELL', 'pg_isready'], intervalSeconds: 90, timeoutSeconds: 5, retries: 2, startPeriodSeconds: 0.5 });
    expect(check('["CMD", "redis-cli", "ping"]')?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(check('["CMD-SHELL", "curl -f localhost"]')?.test).toEqual(['CMD-SHELL', 'curl -f localhost']);
    expect(check('["NONE"]')?.test).toBeUndefined();
  });
});

describe('mapping', () => {
  test('a healthcheck becomes a readiness probe: exec for commands, httpGet for curl/wget of localhost on the served port', () => {
    const services = plan(`
services:
  a: { image: a:1, ports: ["8080"], healthcheck: { test: "curl -fsS http://localhost:8080/healthz || exit 1", interval: 15s } }
  b: { image: b:1, ports: ["80"], healthcheck: { test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1/status"] } }
  c: { image: c:1, ports: ["80"], healthcheck: { test: "curl -f http://localhost:9999/" } }
  d: { image: d:1, healthcheck: { test: ["CMD", "check", "--quick"], retries: 4, start_period: 20s } }
  e: { image: e:1, ports: ["80"] }
`).services;
    expect(services.map((s) => s.readiness)).toEqual([
      { httpGet: { path: '/healthz' }, periodSeconds: 15 },
      { httpGet: { path: '/status' } },
      { exec: { command: ['/bin/sh', '-c', 'curl -f http://localhost:9999/'] } },
      { exec: { command: ['check', '--quick'] }, failureThreshold: 4, initialDelaySeconds: 20 },
      { tcpSocket: {}, periodSeconds: 5 },
    ]);
  });

  test('services with ports are WebApps, without ports workers, known databases StatefulSet presets on their ports', () => {
    const services = plan(`
services:
  web: { image: w:1, ports: ["80"] }
  jobs: { image: j:1 }
  mongo: { image: mongo:7.0.14 }
  redis: { image: redis:7.2.5 }
  pg: { image: postgres:16.4-alpine, ports: ["5432:5432"] }
  sql: { image: docker.io/library/mysql:8.4 }
  maria: { image: mariadb:11.4.4, environment: { MARIADB_DATABASE: shop, MARIADB_ROOT_PASSWORD: secret, MARIADB_USER: app } }
`).services;
    expect(services.map((s) => [s.name, s.kind, s.port, s.volumeClaims.map((c) => c.mountPath)])).toEqual([
      ['web', 'web', 80, []],
      ['jobs', 'worker', undefined, []],
      ['mongo', 'mongo', 27017, ['/data/db']],
      ['redis', 'redis', 6379, []],
      ['pg', 'postgres', 5432, ['/var/lib/postgresql/data']],
      ['sql', 'mysql', 3306, ['/var/lib/mysql']],
      ['maria', 'mariadb', 3306, ['/var/lib/mysql']],
    ]);
    // The presets run the image's own user (uid 70 for postgres' alpine image, from lib/manifest/images.ts), not one the importer picks.
    expect(services.find((s) => s.name === 'pg')?.runAsUser).toBeUndefined();
    // The database became the preset's prop, the root password is not written into code, other variables pass through.
    const maria = services.find((s) => s.name === 'maria')!;
    expect(maria.databaseName).toBe('shop');
    expect(maria.env).toEqual([['MARIADB_USER', 'app']]);
  });

  test('a SQL preset reads its password from the compose secret its *_PASSWORD_FILE names; a literal password is refused into code', () => {
    const yaml = `
services:
  db:
    image: postgres:16.4
    environment: { POSTGRES_USER: shop, POSTGRES_PASSWORD_FILE: /run/secrets/db_password }
    secrets: [db_password]
  sql: { image: mysql:8.4.3, environment: { MYSQL_ROOT_PASSWORD: example, MYSQL_DATABASE: shop } }
secrets: { db_password: { file: ./db_password.txt } }
`;
    const [db, sql] = plan(yaml).services;
    expect(db.passwordSecret).toEqual({ secretName: 'db-secrets', key: 'db_password', mountPath: '/run/secrets' });
    expect(db.user).toBe('shop');
    expect(db.env).toEqual([]);
    expect(sql.passwordSecret).toBeUndefined();
    expect(sql.databaseName).toBe('shop');
    expect(warnings(yaml)).toContain('sql: environment: MYSQL_ROOT_PASSWORD not written into code: the mysql preset reads the password from Secret sql-secret (key password)');
  });

  test('every TCP port of a service is on its Service: the first as the main port, the others as tcp-<port>; presets keep their own', () => {
    const services = plan(`
services:
  kafka: { image: kafka:3.7.0, ports: ["8081:8081", "9092:9092", "9092", "9093/udp"], expose: ["9999"] }
  pg: { image: postgres:16.4, ports: ["5432", "9187"] }
  cache: { image: redis:7.2.5, expose: ["6379", "16379"] }
`).services;
    expect(services.map((s) => [s.name, s.port, s.extraPorts])).toEqual([
      ['kafka', 8081, [{ name: 'tcp-9092', port: 9092 }, { name: 'tcp-9999', port: 9999 }]],
      ['pg', 5432, []],
      ['cache', 6379, []],
    ]);
    expect(warnings('services: { pg: { image: postgres:16.4, ports: ["5432", "9187"] } }')).toContain('pg: ports: 9187 not converted: the postgres preset serves 5432');
    expect(warnings('services: { cache: { image: redis:7.2.5, expose: ["6379", "16379"] } }')).toContain('cache: ports: 16379 not converted: the redis preset serves 6379');
  });

  test('connections: depends_on, links and env values naming a host (with a port, in a URL, or under a host key), on the named port or every port', () => {
    const services = plan(`
services:
  db: { image: postgres:16.4 }
  kafka: { image: kafka:3.7.0, ports: ["8081"] }
  search: { image: elasticsearch:8.15.0 }
  worker: { image: w:1 }
  api:
    image: api:1
    ports: ["80"]
    links: ["search:es"]
    environment:
      DB_HOST: db:5432
      BROKERS: kafka:9092,kafka:8081
      POSTGRES_USER: db
      NOTE: "the worker says db.example.com and dbx"
  wp:
    image: wordpress:6.6.1
    environment: { WORDPRESS_DB_HOST: db, CACHE: "mongodb://user:pw@search/x" }
  tool: { image: t:1, depends_on: [worker], environment: { TARGET: "worker:7000" } }
`).services;
    const edges = Object.fromEntries(services.map((s) => [s.name, s.connectsTo]));
    expect(edges.api).toEqual([{ service: 'search', ports: [] }, { service: 'db', ports: [5432] }, { service: 'kafka', ports: [9092, 8081] }]);
    expect(edges.wp).toEqual([{ service: 'db', ports: [] }, { service: 'search', ports: [] }]);
    expect(edges.tool).toEqual([{ service: 'worker', ports: [] }]);
    const kafka = services.find((s) => s.name === 'kafka')!;
    expect([kafka.kind, kafka.port, kafka.extraPorts]).toEqual(['web', 8081, [{ name: 'tcp-9092', port: 9092 }]]);
    const search = services.find((s) => s.name === 'search')!;
    expect([search.kind, search.port]).toEqual(['web', 9200]);
    expect(services.find((s) => s.name === 'worker')!.port).toBe(7000);
  });

  test('the warnings of ports added for a named host, and of a host that cannot get a Service', () => {
    expect(warnings(`
services:
  kafka: { image: kafka:3.7.0, ports: ["8081"] }
  search: { image: elasticsearch:8.15.0 }
  jobs: { image: j:1 }
  cache: { image: redis:7.2.5 }
  api: { image: a:1, depends_on: [search, jobs], environment: { K: "kafka:9092", R: "redis://cache:6380" } }
`).filter((w) => w.includes(': ports: '))).toEqual([
      'kafka: ports: 9092 added to the Service: api connects to kafka:9092 (environment.K); compose reaches every port of a container, a Service only those it lists',
      'search: ports: 9200 (the port elasticsearch listens on) added, so that its host name resolves for api (depends_on)',
      'jobs: ports: none, but api (depends_on) name jobs as a host: without a port it gets no Service, so the name does not resolve and the connection is not admitted (add the port it listens on: expose: ["<port>"])',
      'cache: ports: 6380 not converted: api names cache:6380 (environment.R), but the redis preset serves 6379 only',
    ]);
  });

  test('published ports: a NodePort in the stages that publish; a kompose.service.type label fixes the type; an Ingress label none; a StatefulSet a NodePort Service of its own', () => {
    const services = plan(`
services:
  web: { image: w:1, ports: ["8080:80", "443:8443", "9100"] }
  lb: { image: l:1, ports: ["80"], labels: { kompose.service.type: loadbalancer } }
  site: { image: s:1, ports: ["80:80"], labels: { kompose.service.expose: site.example.com } }
  db: { image: postgres:16.4, ports: ["5432:5432", "9187:9187"] }
  git: { image: gitea/gitea:1.22.1, ports: ["3000:3000", "2222:22", "8080"], volumes: ["data:/data"] }
volumes: { data: {} }
`).services;
    expect(services.map((s) => [s.name, s.kind, s.exposure])).toEqual([
      ['web', 'web', { ports: [80, 8443], byStage: true }],
      ['lb', 'web', { ports: [80], byStage: false }],
      ['site', 'web', undefined],
      // The preset serves 5432 only (9187 is warned about as not converted); the StatefulApp every port it declares.
      ['db', 'postgres', { ports: [5432], byStage: true }],
      ['git', 'stateful', { ports: [3000, 22], byStage: true }],
    ]);
    expect(warnings('services: { db: { image: postgres:16.4, ports: ["5432:5432"] } }')).toContain(
      'db: ports: published 5432:5432: in the dev stage (publishPorts) the NodePort Service db-nodeport, beside the headless Service db, publishes 5432, '
      + 'and the policy admits any address on them; Kubernetes assigns the node ports (kubectl get service db-nodeport)');
  });

  test('published ports: a StatefulSet\'s nodePorts and a WebApp\'s NodePort in the stages that publish, no allowFrom in the stack (the constructs admit them)', () => {
    const stack = importedSource('services: { db: { image: postgres:16.4, ports: ["5432:5432"] }, api: { image: a:1, ports: ["8080:8080"], depends_on: [db] } }', 'stack.ts');
    expect(stack).toContain('nodePorts: stage.publishPorts ? [5432] : undefined,');
    expect(stack).toContain('serviceType: stage.publishPorts ? ServiceType.NODE_PORT : ServiceType.CLUSTER_IP,');
    expect(stack).not.toContain('connections.allowFrom');
    expect(stack).not.toContain('Peer');
    expect(importedSource('services: { db: { image: postgres:16.4, ports: ["5432:5432"] } }', 'stages.ts')).toContain('publishPorts: true,');
  });

  test('restart "no" and on-failure[:n]: a BatchJob for a task without a port, a server otherwise; always and unless-stopped stay servers', () => {
    const yaml = `
services:
  migrate: { image: m:1, restart: "no", healthcheck: { test: "true" } }
  seed: { image: s:1, restart: on-failure:3 }
  init: { image: i:1, restart: on-failure }
  api: { image: a:1, ports: ["80"], restart: "no" }
  worker: { image: w:1, restart: unless-stopped }
  odd: { image: o:1, restart: sometimes }
`;
    expect(plan(yaml).services.map((s) => [s.name, s.kind, s.job, s.readiness])).toEqual([
      ['migrate', 'job', { restartPolicy: 'Never', backoffLimit: 0 }, undefined],
      ['seed', 'job', { restartPolicy: 'OnFailure', backoffLimit: 3 }, undefined],
      ['init', 'job', { restartPolicy: 'OnFailure', backoffLimit: undefined }, undefined],
      ['api', 'web', undefined, { tcpSocket: {}, periodSeconds: 5 }],
      ['worker', 'worker', undefined, undefined],
      ['odd', 'worker', undefined, undefined],
    ]);
    expect(warnings(yaml).filter((w) => /restart|healthcheck/.test(w))).toEqual([
      expect.stringMatching(/^migrate: restart: "no": a run-once task \(no port\), so a BatchJob migrate-job whose pod runs to completion, never restarted/),
      'migrate: healthcheck: not converted: a BatchJob\'s pod runs to completion, and nothing waits for it to be ready',
      expect.stringMatching(/^seed: restart: "on-failure:3": a run-once task \(no port\), so a BatchJob seed-job whose pod runs to completion, restarted on failure up to 3 times;/),
      expect.stringMatching(/^init: restart: "on-failure": .* restarted on failure \(up to 6 times, Kubernetes' default\);/),
      'api: restart: "no" not converted: api serves a port, so it stays a server whose pods are always restarted (a pod that is not restarted would leave its Service without endpoints)',
      'odd: restart: "sometimes" not converted: compose knows no, always, on-failure[:n] and unless-stopped',
    ]);
    const stack = renderImport(yaml, 'docker-compose.yml', { out: path.join(os.tmpdir(), 'jobs') }).files.find((f) => f.file === 'stack.ts')!.content;
    expect(stack).toContain("this.seed = new BatchJob(seedChart, 'Seed', {\n      name: 'seed',\n      image: stage.images.seed,\n      restartPolicy: 'OnFailure',\n      backoffLimit: 3,");
  });

  test('deploy.resources become requests and limits; a reservation above the default limit raises it; a Java heap gets twice its size', () => {
    const services = plan(`
services:
  api: { image: a:1, deploy: { resources: { limits: { cpus: "0.5", memory: 512MiB }, reservations: { cpus: "0.25", memory: 256M } } } }
  big: { image: b:1, deploy: { resources: { reservations: { memory: 1g } } } }
  search: { image: elasticsearch:8.15.0, environment: { ES_JAVA_OPTS: "-Xms512m -Xmx512m" } }
  tight: { image: logstash:8.15.0, environment: ["LS_JAVA_OPTS=-Xmx1g"], mem_limit: 1g }
  small: { image: java:1, command: ["java", "-Xmx64m", "-jar", "app.jar"] }
`).services;
    expect(Object.fromEntries(services.map((s) => [s.name, s.resources]))).toEqual({
      api: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      big: { requests: { memory: '1Gi' }, limits: { memory: '1Gi' } },
      search: { limits: { memory: '1Gi' } },
      tight: { limits: { memory: '1Gi' } },
      small: undefined,
    });
    expect(warnings(`
services:
  search: { image: elasticsearch:8.15.0, environment: { ES_JAVA_OPTS: "-Xms512m -Xmx512m" } }
  tight: { image: logstash:8.15.0, environment: ["LS_JAVA_OPTS=-Xmx1g"], mem_limit: 1g }
`).filter((w) => w.includes('deploy.resources'))).toEqual([
      'search: deploy.resources: the memory limit is 1Gi, twice the Java heap (-Xmx: 512Mi): the JVM needs memory beyond its heap, and the default limit (256Mi) would kill it; set deploy.resources.limits.memory to choose another',
      'tight: deploy.resources.limits.memory: 1Gi leaves the JVM little beyond its heap (-Xmx: 1Gi): the container is killed when it needs more; give it 2Gi or a smaller heap',
    ]);
  });

  test('a named volume mounted twice in a StatefulApp gets a second claim, with a warning', () => {
    const yaml = 'services: { mq: { image: rabbitmq:3.13.7, ports: ["5672"], volumes: ["data:/var/lib/rabbitmq", "data:/var/log/rabbitmq"] } }\nvolumes: { data: {} }';
    expect(plan(yaml).services[0].volumeClaims).toEqual([{ name: 'data', mountPath: '/var/lib/rabbitmq' }, { name: 'data-2', mountPath: '/var/log/rabbitmq' }]);
    expect(warnings(yaml)).toContain('mq: volumes: named volume data:/var/log/rabbitmq is mounted a second time: it gets a claim of its own, data-2, so the two paths no longer share files');
  });

  test('extra_hosts (list and map forms) become hostAliases grouped by address; host-gateway and non-addresses are warned about', () => {
    const yaml = `
services:
  a: { image: a:1, extra_hosts: ["db.internal:10.0.0.5", "legacy=10.0.0.5", "v6:::1", "host.docker.internal:host-gateway", "bad:nowhere"] }
  b: { image: b:1, extra_hosts: { api.internal: 10.0.0.6 } }
`;
    expect(plan(yaml).services.map((s) => s.hostAliases)).toEqual([
      [{ ip: '10.0.0.5', hostnames: ['db.internal', 'legacy'] }, { ip: '::1', hostnames: ['v6'] }],
      [{ ip: '10.0.0.6', hostnames: ['api.internal'] }],
    ]);
    expect(warnings(yaml).filter((w) => w.includes('extra_hosts'))).toEqual([
      'a: extra_hosts: host.docker.internal:host-gateway not converted: a pod has no docker host gateway; give the node\'s address, or reach the service through a Service',
      'a: extra_hosts: bad:nowhere not converted: not an IPv4 or IPv6 address',
    ]);
  });

  test('build: the image docker compose would name, from `name:` or the folder; latest and untagged images are flagged', () => {
    const yaml = 'name: My_Shop\nservices: { api: { build: ./api }, db: { image: "mongo:latest" }, cache: { image: redis } }';
    expect(plan(yaml).services[0].image).toBe('my_shop-api');
    expect(planImport(parseCompose('services: { api: { build: . } }', '/src/Habr App/docker-compose.yml'), 'f').services[0].image).toBe('habrapp-api');
    const flagged = warnings(yaml).filter((w) => /untagged|"latest"/.test(w));
    expect(flagged).toEqual([
      expect.stringMatching(/^api: build: the built image "my_shop-api" \(the name docker compose gives it\) is untagged/),
      expect.stringMatching(/^db: image: "mongo:latest" is "latest"/),
      expect.stringMatching(/^cache: image: "redis" is untagged/),
    ]);
  });

  test('a service name that is no DNS-1035 label is renamed with a warning; one that cannot be is an error', () => {
    expect(plan('services: { my_api: { image: a:1, ports: ["80"] } }').services[0].name).toBe('my-api');
    expect(warnings('services: { my_api: { image: a:1 } }')).toContain('my_api: name: the host name becomes "my-api" (a Kubernetes Service name); clients that use "my_api" must change');
    expect(() => plan('services: { 1api: { image: a:1 } }')).toThrow(ComposeError);
    expect(() => plan('services: { a_b: { image: a:1 }, a-b: { image: a:1 } }')).toThrow(/becomes "a-b" like services.a_b/);
  });

  test('every key not converted is one warning naming the service and the key', () => {
    expect(warnings(`
services:
  a:
    image: a:1
    privileged: true
    deploy: { mode: global, replicas: 2 }
    build: { context: ., args: { X: "1" } }
    healthcheck: { test: "true", start_interval: 1s }
    labels: { kompose.service.group: x }
    restart: "no"
    pull_policy: build
`)).toEqual([
      'a: privileged: not converted (true)',
      'a: deploy.mode: not converted (global)',
      'a: build.args: not converted ({"X":"1"})',
      'a: healthcheck.start_interval: not converted (1s)',
      'a: labels: kompose.service.group not converted',
      'a: restart: "no": a run-once task (no port), so a BatchJob a-job whose pod runs to completion, never restarted (restartPolicy Never, backoffLimit 0); '
        + 'a changed pod template needs the finished Job deleted before the next apply',
      'a: pull_policy: "build" not converted: the images are built outside Kubernetes',
      'a: healthcheck: not converted: a BatchJob\'s pod runs to completion, and nothing waits for it to be ready',
    ]);
  });
});

describe('what the table of image needs tells the importer', () => {
  test('an image that writes among its own files keeps a writable root, with a warning; one with a user of its own runs as it', () => {
    const { services, warnings: found } = plan(`
services:
  search: { image: elasticsearch:8.15.0, ports: ["9200:9200"] }
  dash: { image: grafana/grafana:11.2.0, ports: ["3000:3000"] }
  app: { image: app:1.0, ports: ["8080:8080"] }
`);
    expect(services.map((s) => [s.name, s.writableRoot, s.imageKnowsUser])).toEqual([
      ['search', true, true], ['dash', undefined, true], ['app', undefined, undefined],
    ]);
    expect(found.map(formatWarning).filter((w) => w.startsWith('search: image:'))).toEqual([
      expect.stringMatching(/^search: image: elasticsearch:8\.15\.0 needs a writable root filesystem \(.+\): it gets one \(security\.readOnlyRootFilesystem: false\), and still runs without root or capabilities$/),
    ]);
  });

  test('an empty POSTGRES_USER (an unset variable) leaves the preset its default user, as the image does', () => {
    const [db] = plan('services: { db: { image: "postgres:16.4", environment: { POSTGRES_USER: "", POSTGRES_DB: "" } } }').services;
    expect([db.kind, db.user, db.databaseName]).toEqual(['postgres', undefined, undefined]);
  });
});

describe('an unreadable or invalid compose file is one clear error, and nothing is written', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-import-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test.each([
    ['not YAML', 'services: [a', /^bad\.yml: not valid YAML: /],
    ['not a mapping', '- a', /^bad\.yml: the file: must be a mapping$/],
    ['no services', 'services: {}', /^bad\.yml: services: must define at least one service$/],
    ['no image or build', 'services: { a: { ports: ["80"] } }', /^bad\.yml: services\.a: a service needs an `image` or a `build`$/],
    ['an undefined dependency', 'services: { a: { image: a:1, depends_on: [b] } }', /^bad\.yml: services\.a\.depends_on: "b" is not a service of the file$/],
    ['a dependency cycle', 'services: { a: { image: a:1, depends_on: [b] }, b: { image: b:1, depends_on: [a] } }', /^bad\.yml: depends_on forms a cycle: a -> b -> a$/],
    ['a bad port', 'services: { a: { image: a:1, ports: ["http"] } }', /^bad\.yml: services\.a\.ports\[0\]: "http" is not a port from 1 to 65535$/],
    ['a bad duration', 'services: { a: { image: a:1, healthcheck: { test: "true", interval: 30 } } }', /^bad\.yml: services\.a\.healthcheck\.interval: must be a string$/],
    ['an undefined named volume', 'services: { a: { image: a:1, volumes: ["data:/data"] } }', /^bad\.yml: services\.a\.volumes\[0\]: named volume "data" is not defined under top-level volumes$/],
    ['an unset variable as a volume', 'services: { a: { image: a:1, volumes: ["${DATA_VOLUME}:/data"] } }',
      /^bad\.yml: services\.a\.volumes\[0\]: \$\{DATA_VOLUME\} is not set, and compose makes it empty, leaving no volume source: set it in the \.env file next to the compose file, or give it a default \(\$\{NAME:-value\}\)$/],
    ['a required variable', 'services: { a: { image: "a:${TAG:?pin the version}" } }',
      /^bad\.yml: services\.a\.image: \$\{TAG\} is required \(pin the version\) but not set: set it in the \.env file next to the compose file$/],
  ])('%s', (_what, yaml, message) => {
    const file = path.join(scratch, 'bad.yml');
    fs.writeFileSync(file, yaml);
    const out = path.join(scratch, 'app');
    let error: unknown;
    try {
      importCompose(file, { out });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ComposeError);
    expect((error as Error).message.replace(`${scratch}${path.sep}`, '')).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
    expect(fs.existsSync(out)).toBe(false);
  });

  test('the .env file next to the compose file is what ${NAME} reads; variables given instead replace it', () => {
    const folder = path.join(scratch, 'with-env');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'docker-compose.yml'), 'services: { a: { image: "a:${TAG}", volumes: ["${VOLUME}:/data"], ports: ["80"] } }\nvolumes: { data: {} }');
    fs.writeFileSync(path.join(folder, '.env'), 'TAG=1.2\nVOLUME=data\n');
    const result = importCompose(path.join(folder, 'docker-compose.yml'), { out: path.join(folder, 'app') });
    expect(result.warnings.filter((w) => w.key === 'interpolation')).toEqual([]);
    expect(fs.readFileSync(path.join(folder, 'app', 'stages.ts'), 'utf8')).toContain("a: 'a:1.2',");
    importCompose(path.join(folder, 'docker-compose.yml'), { out: path.join(folder, 'other'), variables: { TAG: '9', VOLUME: 'data' } });
    expect(fs.readFileSync(path.join(folder, 'other', 'stages.ts'), 'utf8')).toContain("a: 'a:9',");
  });

  test('a missing file', () => {
    expect(() => importCompose(path.join(scratch, 'missing.yml'), { out: path.join(scratch, 'app') })).toThrow(/missing\.yml: cannot be read \(ENOENT\)$/);
  });

  test('an existing folder is refused without force, and its files kept; with force they are replaced', () => {
    const out = path.join(scratch, 'owned');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'stack.ts'), '// mine');
    expect(() => importCompose(fixture('shop'), { out })).toThrow(/owned exists: the importer never overwrites an app you own \(pass --force to replace its files\)$/);
    expect(fs.readFileSync(path.join(out, 'stack.ts'), 'utf8')).toBe('// mine');
    importCompose(fixture('shop'), { out, force: true });
    expect(fs.readFileSync(path.join(out, 'stack.ts'), 'utf8')).toContain('export class OwnedStack');
  });
});

describe('where the generated code imports the constructs from', () => {
  const shop = fs.readFileSync(fixture('shop'), 'utf8');
  const libraryOf = (out: string, cwd?: string) => renderImport(shop, 'docker-compose.yml', { out, cwd }).libraryModule;

  test('from lib/ by a relative path in apps/ of this checkout, from the package habr-k8s anywhere else', () => {
    expect(libraryOf(path.join(REPO, 'apps/shop'))).toBe('../../lib');
    expect(libraryOf(path.join(REPO, 'apps/team/shop'))).toBe('../../../lib');
    expect(libraryOf(path.join(REPO, 'examples/shop'))).toBe('habr-k8s');
    expect(libraryOf(path.join(REPO, 'apps'))).toBe('habr-k8s');
    expect(libraryOf(path.join(os.tmpdir(), 'shop'))).toBe('habr-k8s');
    expect(renderImport(shop, 'docker-compose.yml', { out: path.join(os.tmpdir(), 'shop') }).files.find((f) => f.file === 'stack.ts')!.content)
      .toContain("} from 'habr-k8s';");
  });

  test('out is relative to the given cwd', () => {
    expect(libraryOf('apps/shop', REPO)).toBe('../../lib');
    expect(libraryOf('apps/shop', os.tmpdir())).toBe('habr-k8s');
  });
});

describe('fixtures', () => {
  test('apps/compose-example is what the importer writes for the shop fixture (a habr-like compose file)', () => {
    const { files } = imported('shop', 'compose-example');
    for (const file of files) expect(fs.readFileSync(path.join(REPO, 'apps/compose-example', file.file), 'utf8')).toBe(file.content);
  });

  test('the shop fixture warns about exactly what it does not convert', () => {
    expect(imported('shop').warnings.map(formatWarning)).toMatchSnapshot();
  });

  test('the features fixture: generated source and warnings', () => {
    const { files, warnings: found } = imported('features');
    for (const file of files) expect(file.content).toMatchSnapshot(file.file);
    expect(found.map(formatWarning)).toMatchSnapshot('warnings');
  });

  describe('the generated apps type-check under the strict tsconfig, synthesize and validate with no error', () => {
    const id = `${process.pid}-${Date.now()}`;
    const folders = ['shop', 'features'].map((name) => ({ name, dir: path.join(REPO, 'apps', `.tmp-compose-${id}-${name}`) }));
    const tsconfig = path.join(REPO, `.tmp-compose-${id}.tsconfig.json`);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-synth-'));
    beforeAll(() => {
      for (const { name, dir } of folders) {
        fs.mkdirSync(dir);
        for (const file of imported(name).files) fs.writeFileSync(path.join(dir, file.file), file.content);
      }
      fs.writeFileSync(tsconfig, JSON.stringify({ extends: './tsconfig.json', include: folders.map((f) => `apps/${path.basename(f.dir)}/*.ts`) }));
    });
    afterAll(() => {
      for (const { dir } of folders) fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(tsconfig, { force: true });
      fs.rmSync(outdir, { recursive: true, force: true });
    });

    test('tsc --noEmit', () => {
      const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', tsconfig], { cwd: REPO, encoding: 'utf8' });
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.status).toBe(0);
    }, 120_000);

    // The warnings are the images the importer already calls unpinned: shop's three build-only
    // images (compose's own names, untagged) and features' untagged admin image.
    test.each([['shop', 3], ['features', 1]])('%s: habr-k8s synth --app <app>/main.ts (no error; %i image-pinning warnings)', (name, warnings) => {
      const dir = folders.find((f) => f.name === name)!.dir;
      const out = path.join(outdir, name);
      const run = spawnSync(process.execPath, ['bin/habr-k8s.js', 'synth', '--app', path.join(dir, 'main.ts')], {
        cwd: REPO, encoding: 'utf8', env: { ...process.env, OUTDIR: out, STAGE: '', CDK8S_OUTDIR: '', INIT_CWD: '', npm_lifecycle_event: '' },
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`\\n${path.relative(REPO, out).replace(/[.]/g, '\\.')}: \\d+ objects in \\d+ files, ${warnings} warnings\\n$`));
      expect(run.stdout.match(/\[image-pinning; API server accepts\]/g)).toHaveLength(warnings as number);
    }, 60_000);
  });
});
