import { probeFields } from '../../../lib/validation/rules/probe-fields';
import { container, deployment, runRule, summarize } from '../helpers';

describe('probe-fields', () => {
  it('passes for one handler per probe and sane timings', () => {
    const valid = deployment({ containers: [container({
      livenessProbe: { tcpSocket: { port: 'http' }, successThreshold: 1 },
      readinessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTPS', httpHeaders: [{ name: 'X-Probe', value: '1' }] }, successThreshold: 3 },
      startupProbe: { exec: { command: ['true'] }, failureThreshold: 30 },
    })] });
    expect(runRule(probeFields, [valid])).toEqual([]);
  });

  it('rejects two handlers, a liveness successThreshold of 2 and negative timings', () => {
    const findings = runRule(probeFields, [deployment({ containers: [container({
      livenessProbe: { tcpSocket: { port: 8080 }, successThreshold: 2, periodSeconds: -1 },
      readinessProbe: { tcpSocket: { port: 8080 }, httpGet: { path: '/', port: 8080 } },
    })] })]);
    expect(summarize(findings)).toEqual([
      { rule: 'probe-fields', path: 'spec.template.spec.containers[0].livenessProbe.periodSeconds', severity: 'error' },
      { rule: 'probe-fields', path: 'spec.template.spec.containers[0].livenessProbe.successThreshold', severity: 'error' },
      { rule: 'probe-fields', path: 'spec.template.spec.containers[0].readinessProbe.tcpSocket', severity: 'error' },
    ]);
    expect(findings[1].message).toContain('successThreshold is 2, but a livenessProbe succeeds on the first success: it must be 1; the API server rejects it');
  });

  it('rejects probes on init containers that are not sidecars, and invalid port names', () => {
    const findings = runRule(probeFields, [deployment({
      containers: [container({ readinessProbe: { tcpSocket: { port: 'http-metrics-abc' } } })],
      podSpec: { initContainers: [
        container({ name: 'init', livenessProbe: { exec: { command: ['true'] } } }),
        container({ name: 'sidecar', restartPolicy: 'Always', livenessProbe: { exec: { command: ['true'] } } }),
      ] },
    })]);
    expect(findings.map((f) => f.path)).toEqual(['spec.template.spec.containers[0].readinessProbe.tcpSocket.port', 'spec.template.spec.initContainers[0].livenessProbe']);
  });
});
