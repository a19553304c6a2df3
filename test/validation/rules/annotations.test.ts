import { annotations } from '../../../lib/validation/rules/annotations';
import { KubeObject } from '../../../lib/manifest/types';
import { deployment, runRule } from '../helpers';

function annotated(metadata: Record<string, string>, template?: Record<string, string>): KubeObject {
  const object = deployment() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  object.metadata.annotations = metadata;
  if (template) object.spec.template.metadata.annotations = template;
  return object as KubeObject;
}

describe('annotations', () => {
  it('passes for qualified keys, upper case in the prefix included, up to 256 KiB', () => {
    expect(runRule(annotations, [annotated({ 'Example.com/team': 'web', 'kubernetes.io/change-cause': 'x'.repeat(200 * 1024) })])).toEqual([]);
  });

  it('rejects invalid keys on the object and its pod template', () => {
    const findings = runRule(annotations, [annotated({ 'bad key': 'x' }, { '-bad': 'y' })]);
    expect(findings.map((f) => f.path)).toEqual(['metadata.annotations["bad key"]', 'spec.template.metadata.annotations["-bad"]']);
  });

  it('rejects annotations that total more than 256 KiB', () => {
    const findings = runRule(annotations, [annotated({ a: 'x'.repeat(256 * 1024) })]);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toBe('the annotations at metadata.annotations total 262145 bytes (keys and values), more than the 262144 bytes (256 KiB) an object may carry; the API server rejects it. Move large content into a ConfigMap.');
  });
});
