import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { AppConfig, AppConfigProps, WebApp } from '../../lib';
import { MAX_CONFIG_MAP_BYTES } from '../../lib/constructs/config-map';

// Created at load time: the error table below names these paths.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-config-'));
fs.writeFileSync(path.join(dir, 'nginx.conf'), 'server { listen 8080; }\n');
fs.writeFileSync(path.join(dir, 'logo.bin'), Buffer.from([0xff, 0xfe, 0x00, 0x80]));
fs.mkdirSync(path.join(dir, 'folder'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function chart(): Chart {
  return new Chart(new App(), 'test', { disableResourceNameHashes: true });
}

function config(props: Partial<AppConfigProps> = {}): AppConfig {
  return new AppConfig(chart(), 'Config', { name: 'web', ...props });
}

describe('AppConfig', () => {
  test('creates <name>-config from literals', () => {
    const manifest = config({ data: { LOG_LEVEL: 'info', 'settings.json': '{}' } }).configMap.toJson();
    expect(manifest.kind).toBe('ConfigMap');
    expect(manifest.metadata.name).toBe('web-config');
    expect(manifest.data).toEqual({ LOG_LEVEL: 'info', 'settings.json': '{}' });
    expect(manifest.binaryData).toBeUndefined();
    expect(manifest.immutable).toBeUndefined();
  });

  test('takes an exact name, labels and immutable', () => {
    const manifest = config({ configMapName: 'nginx-conf', labels: { tier: 'web' }, immutable: true }).configMap.toJson();
    // The chart's recommended labels and the config's name, under the given ones.
    expect(manifest.metadata.labels).toEqual({
      'app.kubernetes.io/instance': 'test', 'app.kubernetes.io/managed-by': 'habr-k8s', 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'test', tier: 'web',
    });
    expect(manifest.metadata.name).toBe('nginx-conf');
    expect(manifest.immutable).toBe(true);
  });

  test('reads files at synth time: absolute, or relative to the working directory; binary files go to binaryData', () => {
    const relative = path.relative(process.cwd(), path.join(dir, 'nginx.conf'));
    const app = config({ files: { 'nginx.conf': relative, logo: path.join(dir, 'logo.bin') } });
    const manifest = app.configMap.toJson();
    expect(manifest.data).toEqual({ 'nginx.conf': 'server { listen 8080; }\n' });
    expect(manifest.binaryData).toEqual({ logo: Buffer.from([0xff, 0xfe, 0x00, 0x80]).toString('base64') });
    expect(app.textKeys).toEqual(['nginx.conf']);
    expect(app.binaryKeys).toEqual(['logo']);
  });

  test('accepts exactly 1 MiB of values', () => {
    const manifest = config({ data: { a: 'x'.repeat(MAX_CONFIG_MAP_BYTES - 1), b: 'y' } }).configMap.toJson();
    expect(manifest.data.b).toBe('y');
  });

  test('envValue refers to a key of the ConfigMap for a container env', () => {
    const scope = chart();
    const settings = new AppConfig(scope, 'Config', { name: 'web', data: { LOG_LEVEL: 'info' } });
    const app = new WebApp(scope, 'Web', { name: 'web', image: 'web:1', env: { LOG_LEVEL: settings.envValue('LOG_LEVEL') } });
    const [env] = app.deployment.toJson().spec.template.spec.containers[0].env;
    expect(env).toEqual({ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'LOG_LEVEL' } } });
  });

  test('mount gives a ConfigMap mount for configMapMounts', () => {
    const scope = chart();
    const settings = new AppConfig(scope, 'Config', { name: 'web', configMapName: 'nginx-conf', data: { 'nginx.conf': '' } });
    expect(settings.mount('/etc/nginx/conf.d')).toEqual({ configMapName: 'nginx-conf', mountPath: '/etc/nginx/conf.d', optional: undefined });
    const app = new WebApp(scope, 'Web', { name: 'web', image: 'web:1', configMapMounts: [settings.mount('/etc/nginx/conf.d', { optional: true })] });
    const pod = app.deployment.toJson().spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'nginx-conf-volume', configMap: { name: 'nginx-conf', optional: true } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'nginx-conf-volume', mountPath: '/etc/nginx/conf.d', readOnly: true });
  });

  describe('refuses bad props, naming path, field and value', () => {
    test.each<[string, () => Partial<AppConfigProps>, string]>([
      ['name', () => ({ name: 'Web' }), 'test/Config: invalid name "Web": must be a DNS-1123 label'],
      ['configMapName', () => ({ configMapName: 'web.config' }), 'test/Config: invalid configMapName "web.config": must be a DNS-1123 label'],
      ['labels', () => ({ labels: { 'a b': 'c' } }), 'test/Config: invalid labels key "a b"'],
      ['data key', () => ({ data: { 'my key': 'x' } }), 'test/Config: invalid data key "my key": must be a ConfigMap key: at most 253 characters of letters, digits, "-", "_" and "."'],
      ['data key "."', () => ({ data: { '.': 'x' } }), 'test/Config: invalid data key ".": must not be "." or ".."'],
      ['long key', () => ({ data: { ['k'.repeat(254)]: 'x' } }), `test/Config: invalid data key "${'k'.repeat(254)}": must be a ConfigMap key`],
      ['data value', () => ({ data: { PORT: 8080 as unknown as string } }), 'test/Config: invalid data["PORT"] 8080: must be a string'],
      ['files key', () => ({ files: { 'nginx/conf': path.join(dir, 'nginx.conf') } }), 'test/Config: invalid files key "nginx/conf": must be a ConfigMap key'],
      ['key in data and files', () => ({ data: { 'nginx.conf': '' }, files: { 'nginx.conf': path.join(dir, 'nginx.conf') } }),
        'test/Config: invalid files key "nginx.conf": is also a key of `data`: each key may appear once'],
      ['missing file', () => ({ files: { app: 'no/such/file.yaml' } }),
        `test/Config: invalid files["app"] "no/such/file.yaml": must be an existing file (looked for ${path.resolve('no/such/file.yaml')})`],
      ['directory', () => ({ files: { app: path.join(dir, 'folder') } }), `test/Config: invalid files["app"] "${path.join(dir, 'folder')}": must be a file, not a directory`],
      ['total size', () => ({ data: { a: 'x'.repeat(MAX_CONFIG_MAP_BYTES), b: 'é' } }),
        `test/Config: invalid data and files "${MAX_CONFIG_MAP_BYTES + 2} bytes": must add up to at most 1048576 bytes (1 MiB)`],
    ])('%s', (_field, props, message) => {
      expect(() => config(props())).toThrow(message);
    });

    test('envValue of an unknown key', () => {
      const settings = config({ data: { LOG_LEVEL: 'info' } });
      expect(() => settings.envValue('LOG_LEVL')).toThrow('test/Config: invalid envValue key "LOG_LEVL": must be a text key of web-config: LOG_LEVEL');
    });

    test('envValue of a binary key', () => {
      const settings = config({ files: { logo: path.join(dir, 'logo.bin') } });
      expect(() => settings.envValue('logo')).toThrow('test/Config: invalid envValue key "logo": must be a text key of web-config (binary entries can only be mounted as files): it has none');
    });

    test('mount at a relative path', () => {
      expect(() => config().mount('etc/app')).toThrow('test/Config: invalid mount path "etc/app": must be an absolute path');
    });
  });
});
