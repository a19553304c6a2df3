import { imagePinning } from '../../../lib/validation/rules/image-pinning';
import { container, deployment, runRule, summarize } from '../helpers';

describe('image-pinning', () => {
  it('passes pinned tags and digests', () => {
    const pod = deployment({ containers: [container({ image: 'app:1.4.2' }), container({ name: 'b', image: `app@sha256:${'a'.repeat(64)}` })] });
    expect(runRule(imagePinning, [pod])).toEqual([]);
  });

  it('warns about untagged and latest images, init containers included', () => {
    const findings = runRule(imagePinning, [deployment({
      containers: [container({ image: 'nginx' })],
      podSpec: { initContainers: [container({ name: 'init', image: 'busybox:latest' })] },
    })]);
    expect(summarize(findings)).toEqual([
      { rule: 'image-pinning', path: 'spec.template.spec.containers[0].image', severity: 'warning' },
      { rule: 'image-pinning', path: 'spec.template.spec.initContainers[0].image', severity: 'warning' },
    ]);
    expect(findings[0].message).toMatch(/^image "nginx" of container app has no tag, which means "latest": each pull may run another version .*Pin a tag/);
    expect(findings[1].message).toMatch(/^image "busybox:latest" of container init is tagged "latest"/);
    expect(findings[0].apiServer).toBe('accepts');
  });

  it('says what `imagePullPolicy: Never` (an image built on the node) means instead of a pull', () => {
    const [found] = runRule(imagePinning, [deployment({ containers: [container({ image: 'app:latest', imagePullPolicy: 'Never' })] })]);
    expect(found.message).toContain('each node runs whatever image it holds under that name, which the next build replaces');
  });

  it('leaves a missing image to container-fields', () => {
    expect(runRule(imagePinning, [deployment({ containers: [container({ image: undefined })] })])).toEqual([]);
  });
});
