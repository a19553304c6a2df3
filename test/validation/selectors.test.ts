import { matchesLabelMap, matchesLabelSelector } from '../../lib/validation/selectors';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front' };

  it('matches a label map only when every pair is present', () => {
    expect(matchesLabelMap({ app: 'web' }, labels)).toBe(true);
    expect(matchesLabelMap({ app: 'web', env: 'prod' }, labels)).toBe(false);
  });

  it.each([
    [{}, true],
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'api' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, false],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, false],
  ])('selector %j matches app=web,tier=front: %s', (selector, expected) => {
    expect(matchesLabelSelector(selector, labels)).toBe(expected);
  });
});
