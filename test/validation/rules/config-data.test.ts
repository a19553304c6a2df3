import { configDataKeys } from '../../../lib/validation/rules/config-data';
import { KubeObject } from '../../../lib/manifest/types';
import { runRule } from '../helpers';

const configMap = (fields: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app' }, ...fields });
const secret = (fields: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app' }, ...fields });

describe('config-data', () => {
  it('passes for file-name keys, typed Secrets with their keys, and a..b', () => {
    expect(runRule(configDataKeys, [
      configMap({ data: { 'app.conf': 'x', '.hidden': 'y', 'a..b': 'z' }, binaryData: { 'logo.png': 'AAAA' } }),
      secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'Y2VydA==' }, stringData: { 'tls.key': 'key' } }),
      secret({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"auths":{}}' } }),
    ])).toEqual([]);
  });

  it('rejects keys that are not file names and keys in both data and binaryData', () => {
    const findings = runRule(configDataKeys, [configMap({ data: { 'app conf': 'x', '..data': 'y', 'a.b': 'z' }, binaryData: { 'a.b': 'AAAA' } })]);
    expect(findings.map((f) => f.path)).toEqual(['data["app conf"]', 'data["..data"]', 'data["a.b"]']);
    expect(findings[1].message).toBe('key "..data" in data is invalid: it starts with ".."; the API server rejects it. Keys become file names: use letters, digits, "-", "_" and ".".');
  });

  it('rejects more than 1 MiB of data and typed Secrets without their keys', () => {
    const findings = runRule(configDataKeys, [
      configMap({ data: { big: 'x'.repeat(1024 * 1024 + 1) } }),
      secret({ type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'cert' } }),
      secret({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': 'not json' } }),
    ]);
    expect(findings.map((f) => f.path)).toEqual(['data', 'data["tls.key"]', 'stringData[".dockerconfigjson"]']);
  });
});
