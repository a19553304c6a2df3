import { imageRuntime, parseImageReference, runtimeOf } from '../../lib/manifest/images';

describe('parseImageReference', () => {
  test.each([
    ['postgres', { name: 'postgres' }],
    ['postgres:16.4', { name: 'postgres', tag: '16.4' }],
    ['docker.io/library/postgres:16.4-alpine', { name: 'postgres', tag: '16.4-alpine' }],
    ['registry.example.com:5000/db/mysql:8.4.3', { name: 'mysql', tag: '8.4.3' }],
    [`mariadb@sha256:${'a'.repeat(64)}`, { name: 'mariadb', digest: `sha256:${'a'.repeat(64)}` }],
    [`mariadb:11.4@sha256:${'a'.repeat(64)}`, { name: 'mariadb', tag: '11.4', digest: `sha256:${'a'.repeat(64)}` }],
  ])('%s', (image, expected) => {
    expect(parseImageReference(image)).toEqual(expected);
  });
});

describe('the runtime table', () => {
  test('postgres: uid 999, the socket folder writable, data at /var/lib/postgresql/data; the alpine images use uid 70', () => {
    expect(imageRuntime('postgres:16.4')).toMatchObject({
      name: 'postgres', port: 5432, uid: 999, gid: 999, dataPath: '/var/lib/postgresql/data', writablePaths: ['/tmp', '/var/run/postgresql'],
    });
    expect(imageRuntime('docker.io/library/postgres:16.4-alpine3.20')).toMatchObject({ uid: 70, gid: 70 });
  });
  test('mysql and mariadb: uid 999 and their own socket folders', () => {
    expect(imageRuntime('mysql:8.4.3')).toMatchObject({ port: 3306, uid: 999, gid: 999, dataPath: '/var/lib/mysql', writablePaths: ['/tmp', '/var/run/mysqld'] });
    expect(imageRuntime('mariadb:11.4.4')).toMatchObject({ port: 3306, uid: 999, gid: 999, dataPath: '/var/lib/mysql', writablePaths: ['/tmp', '/run/mysqld'] });
  });
  test('mongo and redis, as their presets run them', () => {
    expect(runtimeOf('mongo', 'mongo:6.0.6')).toMatchObject({ port: 27017, uid: 999, dataPath: '/data/db', writablePaths: ['/tmp', '/data/configdb'] });
    expect(runtimeOf('redis', 'redis:7.0.11-alpine')).toMatchObject({ port: 6379, uid: 999, gid: 1000, dataPath: '/data', writablePaths: [] });
  });
  test('every entry cites its source on GitHub; an unknown image has no entry', () => {
    for (const image of ['mongo', 'redis', 'postgres', 'mysql', 'mariadb']) expect(imageRuntime(image)?.source).toMatch(/^https:\/\/github\.com\//);
    expect(imageRuntime('nginx:1.27.0')).toBeUndefined();
    expect(imageRuntime('constructor')).toBeUndefined();
  });
});
