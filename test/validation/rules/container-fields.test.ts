import { containerFields } from '../../../lib/validation/rules/container-fields';
import { container, deployment, runRule, summarize } from '../helpers';

describe('container-fields', () => {
  it('passes for valid containers, ports and env', () => {
    const valid = deployment({
      containers: [container({ ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 9090, name: 'metrics' }], imagePullPolicy: 'IfNotPresent', env: [{ name: 'APP_ENV', value: 'prod' }] })],
      podSpec: { initContainers: [container({ name: 'migrate', ports: [] })] },
    });
    expect(runRule(containerFields, [valid])).toEqual([]);
  });

  it('rejects an unknown pull policy and protocol, and says which values are allowed', () => {
    const findings = runRule(containerFields, [deployment({ containers: [container({ imagePullPolicy: 'Alwayss', ports: [{ containerPort: 80, name: 'http', protocol: 'TCPP' } as never] })] })]);
    expect(summarize(findings)).toEqual([
      { rule: 'container-fields', path: 'spec.template.spec.containers[0].imagePullPolicy', severity: 'error' },
      { rule: 'container-fields', path: 'spec.template.spec.containers[0].ports[0].protocol', severity: 'error' },
    ]);
    expect(findings[0].message).toBe('spec.template.spec.containers[0].imagePullPolicy is "Alwayss", which is not one of Always, IfNotPresent, Never; the API server rejects it. Use one of them (did you mean "Always"?).');
    expect(findings.every((f) => f.apiServer === 'rejects')).toBe(true);
  });

  it('rejects duplicate container names (init containers too) and duplicate or invalid port names', () => {
    const findings = runRule(containerFields, [deployment({
      containers: [container({ ports: [{ containerPort: 80, name: 'http' }, { containerPort: 81, name: 'http' }, { containerPort: 82, name: 'http-metrics-abc' }] })],
      podSpec: { initContainers: [container({ ports: [] })] },
    })]);
    expect(findings.map((f) => f.path)).toEqual([
      'spec.template.spec.containers[0].ports[1].name',
      'spec.template.spec.containers[0].ports[2].name',
      'spec.template.spec.initContainers[0].name',
    ]);
    expect(findings[1].message).toContain('longer than 15 characters');
    expect(findings[2].message).toContain('already used by spec.template.spec.containers[0]');
  });

  it('checks env var names by the target release: strict in 1.27, relaxed from 1.32 on', () => {
    const objects = [deployment({ containers: [container({ env: [{ name: '1FOO', value: 'x' }, { name: 'A=B', value: 'y' }] })] })];
    const strict = runRule(containerFields, objects, [], '1.27');
    expect(strict.map((f) => f.path)).toEqual(['spec.template.spec.containers[0].env[0].name', 'spec.template.spec.containers[0].env[1].name']);
    expect(strict[0].message).toContain('in Kubernetes 1.27 (from 1.32 on, any printable ASCII but "=" is accepted)');
    expect(runRule(containerFields, objects, [], '1.33').map((f) => f.path)).toEqual(['spec.template.spec.containers[0].env[1].name']);
  });

  it('rejects env sources that are missing, doubled or next to a value', () => {
    const findings = runRule(containerFields, [deployment({ containers: [container({ env: [
      { name: 'A', valueFrom: {} },
      { name: 'B', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'C', valueFrom: { fieldRef: { fieldPath: 'metadata.name' }, secretKeyRef: { name: 's', key: 'k' } } },
    ] })] })]);
    expect(findings.map((f) => f.message.split(';')[0])).toEqual([
      'spec.template.spec.containers[0].env[0].valueFrom names no source',
      'spec.template.spec.containers[0].env[1] has both a value and valueFrom',
      'spec.template.spec.containers[0].env[2].valueFrom sets fieldRef and secretKeyRef',
    ]);
  });

  it('rejects a missing image, restartPolicy on a regular container and contradictory security contexts', () => {
    const findings = runRule(containerFields, [deployment({ containers: [container({
      image: undefined, restartPolicy: 'Always',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['CAP_SYS_ADMIN'] }, runAsUser: -1, seccompProfile: { type: 'Localhost' } },
    })] })]);
    expect(findings.map((f) => f.path)).toEqual([
      'spec.template.spec.containers[0].image',
      'spec.template.spec.containers[0].restartPolicy',
      'spec.template.spec.containers[0].securityContext.runAsUser',
      'spec.template.spec.containers[0].securityContext.seccompProfile.localhostProfile',
      'spec.template.spec.containers[0].securityContext.capabilities.add',
    ]);
  });
});

describe('container-fields procMount', () => {
  const objects = [deployment({ containers: [container({ securityContext: { procMount: 'Masked' } })] })];

  it('rejects an unknown procMount from 1.33 on, where ProcMountType is on by default', () => {
    const findings = runRule(containerFields, objects, [], '1.33');
    expect(findings.map((f) => [f.path, f.severity, f.apiServer])).toEqual([['spec.template.spec.containers[0].securityContext.procMount', 'error', 'rejects']]);
  });

  it('warns on 1.27, where the API server resets procMount to Default instead', () => {
    const findings = runRule(containerFields, objects, [], '1.27');
    expect(findings.map((f) => [f.severity, f.apiServer])).toEqual([['warning', 'accepts']]);
    expect(findings[0].message).toContain('the API server accepts it, but the field is reset to Default');
  });
});

describe('container-fields restartPolicy', () => {
  const objects = [deployment({ containers: [container({ restartPolicy: 'Always' })], podSpec: { initContainers: [container({ name: 'init', restartPolicy: 'OnFailure' })] } })];

  it('rejects restartPolicy on a regular container, and other than Always on an init container, up to 1.33', () => {
    expect(runRule(containerFields, objects, [], '1.33').map((f) => [f.path, f.severity, f.apiServer])).toEqual([
      ['spec.template.spec.containers[0].restartPolicy', 'error', 'rejects'],
      ['spec.template.spec.initContainers[0].restartPolicy', 'error', 'rejects'],
    ]);
  });

  it('warns from 1.34 on, where the API server drops the field instead', () => {
    const findings = runRule(containerFields, objects, [], '1.34');
    expect(findings.map((f) => [f.severity, f.apiServer])).toEqual([['warning', 'accepts'], ['warning', 'accepts']]);
    expect(findings[0].message).toContain('it drops the field without a word');
  });

  it('rejects envFrom names that are not DNS-1123 subdomains, allowing a trailing "-" as the API server does', () => {
    const envFrom = [{ configMapRef: { name: '${CONFIG_NAME}' } }, { secretRef: { name: 'Web_Secret' } }, { configMapRef: { name: 'web-config-' } }, { secretRef: { name: 'web.secret' } }];
    const findings = runRule(containerFields, [deployment({ containers: [container({ envFrom })] })]);
    expect(findings.map((f) => [f.path, f.severity, f.apiServer])).toEqual([
      ['spec.template.spec.containers[0].envFrom[0].configMapRef.name', 'error', 'rejects'],
      ['spec.template.spec.containers[0].envFrom[1].secretRef.name', 'error', 'rejects'],
    ]);
    expect(findings[0].message).toBe('spec.template.spec.containers[0].envFrom[0].configMapRef.name "${CONFIG_NAME}" is not a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", '
      + 'at most 253 characters), as the name of a ConfigMap must be; the API server rejects it. Substitute the placeholder before applying.');
  });
});
