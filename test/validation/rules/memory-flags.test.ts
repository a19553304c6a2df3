import { memoryFlags } from '../../../lib/validation/rules/memory-flags';
import { container, deployment, runRule, summarize } from '../helpers';

describe('memory-flags', () => {
  it('passes flags within the limit, and containers without a memory limit', () => {
    const objects = [
      deployment({ containers: [container({ env: [{ name: 'ES_JAVA_OPTS', value: '-Xms512m -Xmx512m' }], resources: { limits: { memory: '1Gi' } } })] }),
      deployment({ name: 'free', containers: [container({ args: ['-Xmx8g'] })] }),
    ];
    expect(runRule(memoryFlags, objects)).toEqual([]);
  });

  it('reports a JVM heap in an env var, Redis maxmemory and Node old space in args, above the limit, naming flag, value and limit', () => {
    const findings = runRule(memoryFlags, [deployment({ containers: [
      container({ env: [{ name: 'TZ', value: 'UTC' }, { name: 'ES_JAVA_OPTS', value: '-Xms512m -Xmx512m' }], resources: { limits: { memory: '256Mi' } } }),
      container({ name: 'cache', command: ['redis-server'], args: ['--maxmemory', '1gb'], resources: { limits: { memory: '512Mi' } } }),
      container({ name: 'web', args: ['node', '--max-old-space-size=4096', 'server.js'], resources: { limits: { memory: '2Gi' } } }),
    ] })]);
    expect(summarize(findings)).toEqual([
      { rule: 'memory-flags', path: 'spec.template.spec.containers[0].env[1].value', severity: 'error' },
      { rule: 'memory-flags', path: 'spec.template.spec.containers[1].args', severity: 'error' },
      { rule: 'memory-flags', path: 'spec.template.spec.containers[2].args', severity: 'error' },
    ]);
    expect(findings[0].message).toMatch(/^container app: env ES_JAVA_OPTS: -Xmx512m lets the process use 512Mi, above the container's memory limit 256Mi; .*OOM-killed/);
    expect(findings[1].message).toContain('--maxmemory 1gb lets the process use 1Gi, above the container\'s memory limit 512Mi');
    expect(findings[2].message).toContain('--max-old-space-size=4096 lets the process use 4Gi, above the container\'s memory limit 2Gi');
    expect(findings[0].apiServer).toBe('accepts');
  });

  it('reads -XX:MaxHeapSize= as a JVM heap, as the constructs do', () => {
    const findings = runRule(memoryFlags, [deployment({ containers: [
      container({ env: [{ name: 'JAVA_TOOL_OPTIONS', value: '-XX:MaxHeapSize=1g' }], resources: { limits: { memory: '512Mi' } } }),
    ] })]);
    expect(summarize(findings)).toEqual([{ rule: 'memory-flags', path: 'spec.template.spec.containers[0].env[0].value', severity: 'error' }]);
    expect(findings[0].message).toContain('-XX:MaxHeapSize=1g lets the process use 1Gi, above the container\'s memory limit 512Mi');
  });

  it('points at the variable the flag is in, also when an earlier variable has the same name', () => {
    const findings = runRule(memoryFlags, [deployment({ containers: [container({
      env: [{ name: 'JAVA_OPTS', value: '-Xmx128m' }, { name: 'TZ', value: 'UTC' }, { name: 'JAVA_OPTS', value: '-Xmx1g' }],
      resources: { limits: { memory: '512Mi' } },
    })] })]);
    expect(summarize(findings)).toEqual([{ rule: 'memory-flags', path: 'spec.template.spec.containers[0].env[2].value', severity: 'error' }]);
  });
});
