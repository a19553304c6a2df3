import { probePorts } from '../../../lib/validation/rules/probe-ports';
import { container, deployment, runRule, summarize } from '../helpers';

const ports = [{ containerPort: 8080, name: 'http' }, { containerPort: 9090, name: 'metrics' }];

describe('probe-ports', () => {
  it('passes for probes on declared port names and numbers', () => {
    const pod = deployment({ containers: [container({
      ports,
      livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
      readinessProbe: { tcpSocket: { port: 9090 } },
      startupProbe: { exec: { command: ['true'] } },
    })] });
    expect(runRule(probePorts, [pod])).toEqual([]);
  });

  it('reports a probe port name the container does not declare', () => {
    const findings = runRule(probePorts, [deployment({ containers: [container({ ports, livenessProbe: { httpGet: { path: '/', port: 'health' } } })] })]);
    expect(summarize(findings)).toEqual([{ rule: 'probe-ports', path: 'spec.template.spec.containers[0].livenessProbe.httpGet.port', severity: 'error' }]);
    expect(findings[0].message).toMatch(/named port "health".*declared: 8080 \(http\), 9090 \(metrics\).*kubelet restarts the container/);
  });

  it('warns about numeric probe ports the container does not declare, a named port of another container included', () => {
    const findings = runRule(probePorts, [deployment({ containers: [
      container({ ports, readinessProbe: { grpc: { port: 7070 } } }),
      container({ name: 'sidecar', startupProbe: { tcpSocket: { port: 'http' } } }),
    ] })]);
    expect(summarize(findings)).toEqual([
      { rule: 'probe-ports', path: 'spec.template.spec.containers[0].readinessProbe.grpc.port', severity: 'warning' },
      { rule: 'probe-ports', path: 'spec.template.spec.containers[1].startupProbe.tcpSocket.port', severity: 'error' },
    ]);
    expect(findings[0].message).toContain('never becomes Ready');
  });

  it('never says the API server accepts a probe port name it rejects: probe-fields reports it', () => {
    expect(runRule(probePorts, [deployment({ containers: [container({ readinessProbe: { tcpSocket: { port: 'http-metrics-abc' } } })] })])).toEqual([]);
  });
});
