import { serviceTargetPort } from '../../../lib/validation/rules/service-target-port';
import { container, deployment, runRule, service, summarize } from '../helpers';

const web = deployment({ containers: [container({ ports: [{ containerPort: 8080, name: 'http' }] })] });

describe('service-target-port', () => {
  it('passes for a declared named port, a declared number, and port defaulting to a declared number', () => {
    const objects = [web, service({ ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8080 }, { port: 8080 }] })];
    expect(runRule(serviceTargetPort, objects)).toEqual([]);
  });

  it('reports a named targetPort no container declares as an error', () => {
    const findings = runRule(serviceTargetPort, [web, service({ ports: [{ port: 80, targetPort: 'web' }] })]);
    expect(summarize(findings)).toEqual([{ rule: 'service-target-port', path: 'spec.ports[0].targetPort', severity: 'error' }]);
    expect(findings[0].message).toMatch(/named port "web".*Deployment web.*no endpoint.*refused/);
  });

  it('reports an undeclared numeric port, defaulting to port, as a warning', () => {
    const findings = runRule(serviceTargetPort, [web, service({ ports: [{ port: 80 }] })]);
    expect(summarize(findings)).toEqual([{ rule: 'service-target-port', path: 'spec.ports[0].port', severity: 'warning' }]);
    expect(findings[0].message).toContain('targetPort defaults to port');
  });

  it('counts ports of sidecars (init containers with restartPolicy Always) but not of plain init containers', () => {
    const withInit = (restartPolicy?: string) => deployment({ containers: [container()], podSpec: { initContainers: [container({ name: 'proxy', restartPolicy, ports: [{ containerPort: 15001, name: 'proxy' }] })] } });
    const proxyService = service({ ports: [{ port: 80, targetPort: 'proxy' }] });
    expect(runRule(serviceTargetPort, [withInit('Always'), proxyService])).toEqual([]);
    expect(runRule(serviceTargetPort, [withInit(), proxyService]).map((f) => f.path)).toEqual(['spec.ports[0].targetPort']);
  });

  it('leaves Services that select nothing to service-selector', () => {
    expect(runRule(serviceTargetPort, [web, service({ selector: { app: 'other' }, ports: [{ port: 1 }] })])).toEqual([]);
  });

  it('never says the API server accepts a targetPort name it rejects (longer than 15 characters): service-fields reports it', () => {
    expect(runRule(serviceTargetPort, [web, service({ ports: [{ name: 'http', port: 80, targetPort: 'http-metrics-abc' }] })])).toEqual([]);
  });
});
