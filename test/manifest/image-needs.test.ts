import * as fs from 'fs';
import * as path from 'path';
import { imageRuntimeNeeds, ImageRuntimeNeeds, knownImageNeeds } from '../../lib/manifest/image-needs';

describe('imageRuntimeNeeds', () => {
  // One row per entry: the facts the constructs act on (uid, gid, port, data path, writable paths).
  test.each([
    ['nginx:1.27.0', { uid: 101, gid: 101, port: 80, dataPath: undefined, writablePaths: ['/var/cache/nginx', '/run', '/tmp'] }],
    ['nginxinc/nginx-unprivileged:1.27', { uid: 101, gid: 101, port: 8080, dataPath: undefined, writablePaths: ['/tmp'] }],
    ['httpd:2.4', { uid: undefined, gid: undefined, port: 80, dataPath: undefined, writablePaths: ['/usr/local/apache2/logs', '/tmp'] }],
    ['postgres:16.4', { uid: 999, gid: 999, port: 5432, dataPath: '/var/lib/postgresql/data', writablePaths: ['/tmp', '/var/run/postgresql'] }],
    ['postgres:16.4-alpine', { uid: 70, gid: 70, port: 5432, dataPath: '/var/lib/postgresql/data', writablePaths: ['/tmp', '/var/run/postgresql'] }],
    ['postgres:18.1', { uid: 999, gid: 999, port: 5432, dataPath: '/var/lib/postgresql', writablePaths: ['/tmp', '/var/run/postgresql'] }],
    ['postgres:18-alpine3.22', { uid: 70, gid: 70, port: 5432, dataPath: '/var/lib/postgresql', writablePaths: ['/tmp', '/var/run/postgresql'] }],
    ['postgres', { uid: 999, gid: 999, port: 5432, dataPath: '/var/lib/postgresql', writablePaths: ['/tmp', '/var/run/postgresql'] }],
    ['mysql:8.4', { uid: 999, gid: 999, port: 3306, dataPath: '/var/lib/mysql', writablePaths: ['/tmp', '/var/run/mysqld'] }],
    ['mariadb:11.4', { uid: 999, gid: 999, port: 3306, dataPath: '/var/lib/mysql', writablePaths: ['/tmp', '/run/mysqld'] }],
    ['mariadb:11.4-ubi', { uid: 999, gid: 999, port: 3306, dataPath: '/var/lib/mysql', writablePaths: ['/tmp', '/run/mariadb'] }],
    ['redis:7.2.5', { uid: 999, gid: 999, port: 6379, dataPath: '/data', writablePaths: [] }],
    ['redis:7.2.5-alpine', { uid: 999, gid: 1000, port: 6379, dataPath: '/data', writablePaths: [] }],
    ['mongo:7.0.14', { uid: 999, gid: 999, port: 27017, dataPath: '/data/db', writablePaths: ['/tmp', '/data/configdb'] }],
    ['wordpress:6.6', { uid: 33, gid: 33, port: 80, dataPath: '/var/www/html', writablePaths: ['/var/run/apache2', '/var/lock/apache2', '/tmp'] }],
    ['elasticsearch:8.17.0', { uid: 1000, gid: 0, port: 9200, dataPath: '/usr/share/elasticsearch/data', writablePaths: ['/usr/share/elasticsearch/logs', '/tmp'] }],
    ['opensearchproject/opensearch:2.17.0', { uid: 1000, gid: 1000, port: 9200, dataPath: '/usr/share/opensearch/data', writablePaths: ['/usr/share/opensearch/logs', '/tmp'] }],
    ['rabbitmq:4.0', { uid: 999, gid: 999, port: 5672, dataPath: '/var/lib/rabbitmq', writablePaths: ['/tmp'] }],
    ['rabbitmq:4.0-alpine', { uid: 100, gid: 101, port: 5672, dataPath: '/var/lib/rabbitmq', writablePaths: ['/tmp'] }],
    ['memcached:1.6', { uid: 11211, gid: 11211, port: 11211, dataPath: undefined, writablePaths: [] }],
    ['traefik:v3.1', { uid: undefined, gid: undefined, port: 80, dataPath: undefined, writablePaths: ['/tmp'] }],
    ['grafana/grafana:11.3.1', { uid: 472, gid: 0, port: 3000, dataPath: '/var/lib/grafana', writablePaths: ['/tmp'] }],
    ['prom/prometheus:v2.54.1', { uid: 65534, gid: 65534, port: 9090, dataPath: '/prometheus', writablePaths: [] }],
    ['node:22', { uid: 1000, gid: 1000, port: undefined, dataPath: undefined, writablePaths: ['/tmp'] }],
    ['python:3.12', { uid: undefined, gid: undefined, port: undefined, dataPath: undefined, writablePaths: ['/tmp'] }],
  ])('%s', (image, facts) => {
    const needs = imageRuntimeNeeds(image)!;
    expect({ uid: needs.uid, gid: needs.gid, port: needs.port, dataPath: needs.dataPath, writablePaths: needs.writablePaths }).toEqual(facts);
  });

  it('sets PGDATA below the volume root only for postgres up to 17 (18 moved it there itself)', () => {
    expect(imageRuntimeNeeds('postgres:17.2')!.env).toEqual({ PGDATA: '/var/lib/postgresql/data/pgdata' });
    expect(imageRuntimeNeeds('postgres:18.1')!.env).toBeUndefined();
  });

  it('tells the rabbitmq alpine images (user 100:101) and the mariadb UBI images (socket in /run/mariadb) from the others by their tag', () => {
    expect(imageRuntimeNeeds('rabbitmq:3.13.7-management-alpine')).toMatchObject({ uid: 100, gid: 101 });
    expect(imageRuntimeNeeds('rabbitmq:3.13.7-management')).toMatchObject({ uid: 999, gid: 999 });
    expect(imageRuntimeNeeds('docker.io/library/mariadb:lts-ubi9')!.writablePaths).toEqual(['/tmp', '/run/mariadb']);
    expect(imageRuntimeNeeds('mariadb:lts-noble')!.writablePaths).toEqual(['/tmp', '/run/mysqld']);
  });

  it('names the unprivileged variant of nginx and the port it listens on', () => {
    expect(imageRuntimeNeeds('nginx')!.unprivilegedVariant).toEqual({ image: 'nginxinc/nginx-unprivileged', port: 8080 });
  });

  it('knows Elasticsearch and OpenSearch need a writable root, and the others do not', () => {
    const writableRoot = knownImageNeeds().filter((needs) => needs.writableRoot !== undefined).map((needs) => needs.image);
    expect(writableRoot).toEqual(['elasticsearch', 'opensearchproject/opensearch']);
  });

  it('reads Docker Hub names in every spelling, and no other registry', () => {
    expect(imageRuntimeNeeds('docker.io/library/postgres:16-alpine')!.uid).toBe(70);
    expect(imageRuntimeNeeds('library/redis')!.gid).toBe(999);
    expect(imageRuntimeNeeds('registry.example.com/postgres:16')).toBeUndefined();
    expect(imageRuntimeNeeds('example/app:1.0')).toBeUndefined();
  });

  it('covers 18 images (24 entries: four variants of postgres, two each of mariadb, redis and rabbitmq, one each of the others), each citing its source', () => {
    const entries = knownImageNeeds();
    expect(new Set(entries.map((e) => e.image)).size).toBe(18);
    expect(entries).toHaveLength(24);
    for (const entry of entries) {
      expect(entry.sources.length).toBeGreaterThan(0);
      for (const source of entry.sources) expect(source).toMatch(/^https:\/\/[^ ]+: ./);
    }
  });
});

/** The row docs/constructs.md shows for an entry of the table. */
function docRow(needs: ImageRuntimeNeeds): string {
  const image = `\`${needs.image}\`${needs.tags ? ` (\`${needs.tags}\`)` : ''}`;
  const user = needs.uid === undefined ? 'none of its own (10001)' : `${needs.uid}:${needs.gid}`;
  const lowPort = needs.port !== undefined && needs.port < 1024;
  const underDefaults = [
    ...(lowPort ? [`runs on port ${needs.port}: the pod sets \`net.ipv4.ip_unprivileged_port_start=${needs.port}\``] : []),
    ...(needs.writableRoot ? ['refused unless `readOnlyRootFilesystem: false`'] : []),
  ];
  return `| ${image} | ${user} | ${needs.port ?? '—'} | ${needs.dataPath ? `\`${needs.dataPath}\`` : '—'} | `
    + `${needs.writablePaths.map((p) => `\`${p}\``).join(', ') || '—'} | ${underDefaults.join('; ') || 'runs'} |`;
}

test('docs/constructs.md shows every entry of the table as it is', () => {
  const docs = fs.readFileSync(path.join(__dirname, '../../docs/constructs.md'), 'utf8');
  const missing = knownImageNeeds().map(docRow).filter((row) => !docs.includes(`${row}\n`));
  expect(missing).toEqual([]);
});
