/**
 * Our verdict on every case of the server corpus, without a cluster: what Kubernetes' validation
 * code rejects gets an error that says so; what it accepts gets no "the API server rejects it".
 * test/cluster/validator-differential.cluster.test.ts checks the same corpus against a real server.
 */
import { validateObjects } from '../../lib/validation';
import { Finding } from '../../lib/manifest/types';
import { CORPUS, CorpusCase } from '../fixtures/server-corpus/cases';

function findings(testCase: CorpusCase, kubernetesVersion: string): readonly Finding[] {
  return validateObjects([{ object: testCase.object, source: `${testCase.name}.yaml`, order: 0 }], { kubernetesVersion }).findings;
}

const claimsRejection = (finding: Finding) => finding.severity === 'error' && finding.apiServer === 'rejects';

describe('server corpus', () => {
  it('has at least 150 cases with unique names, covering every kind we emit', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
    expect(new Set(CORPUS.map((c) => c.object.kind))).toEqual(new Set([
      'Namespace', 'Deployment', 'StatefulSet', 'Service', 'Ingress', 'NetworkPolicy', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'Job', 'CronJob', 'ReplicationController', 'ConfigMap', 'Secret',
    ]));
  });

  // A case where 1.33 differs from the 1.34 server is judged by what 1.33 does, which is what we validate for.
  const rejected = CORPUS.filter((c) => (c.server === 'rejects') !== (c.differsOn133 !== undefined));
  const accepted = CORPUS.filter((c) => (c.server === 'accepts') !== (c.differsOn133 !== undefined));

  it.each(rejected.map((c) => [c.name, c.breaks, c] as const))('%s (%s): an error that the API server rejects it, on 1.33', (_name, _breaks, testCase) => {
    expect(findings(testCase, '1.33').filter(claimsRejection)).not.toEqual([]);
  });

  it.each(accepted.map((c) => [c.name, c.breaks, c] as const))('%s (%s): no claim that the API server rejects it, on 1.33', (_name, _breaks, testCase) => {
    expect(findings(testCase, '1.33').filter(claimsRejection)).toEqual([]);
  });
});
