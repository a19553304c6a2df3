import { App, Chart } from 'cdk8s';
import { BatchJob, BatchJobProps, StatefulApp } from '../../lib';
import { testChartLabels } from '../helpers';

function chart(): Chart {
  return new Chart(new App(), 'test', { namespace: 'jobs', disableResourceNameHashes: true });
}

function synthJob(props: Partial<BatchJobProps> = {}) {
  const job = new BatchJob(chart(), 'Migrate', { name: 'migrate', image: 'app:1.0', ...props });
  return { job, manifest: job.job.toJson() };
}

describe('BatchJob', () => {
  test('creates <name>-job with the name label on the Job and its pods', () => {
    const { manifest } = synthJob();
    expect(manifest.kind).toBe('Job');
    expect(manifest.metadata.name).toBe('migrate-job');
    expect(manifest.metadata.namespace).toBe('jobs');
    expect(manifest.metadata.labels).toEqual(testChartLabels('migrate', { 'app.kubernetes.io/version': '1.0' }));
    expect(manifest.spec.template.metadata.labels).toEqual(testChartLabels('migrate', { 'app.kubernetes.io/version': '1.0' }));
  });

  test('runs the container with the restricted defaults and restartPolicy OnFailure', () => {
    const pod = synthJob({ command: ['python', '-m', 'migrate'] }).manifest.spec.template.spec;
    expect(pod.restartPolicy).toBe('OnFailure');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    const [container] = pod.containers;
    expect(container.command).toEqual(['python', '-m', 'migrate']);
    expect(container.ports).toBeUndefined();
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
  });

  test('leaves the retry and cleanup fields to Kubernetes unless set', () => {
    const { spec } = synthJob().manifest;
    expect(spec.backoffLimit).toBeUndefined();
    expect(spec.activeDeadlineSeconds).toBeUndefined();
    expect(spec.ttlSecondsAfterFinished).toBeUndefined();
  });

  test('passes restartPolicy, backoffLimit, activeDeadlineSeconds and ttlSecondsAfterFinished through', () => {
    const { spec } = synthJob({ restartPolicy: 'Never', backoffLimit: 0, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 0 }).manifest;
    expect(spec.template.spec.restartPolicy).toBe('Never');
    expect(spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 0 });
  });

  test('puts extra labels on the Job and pods, annotations where asked', () => {
    const { manifest } = synthJob({ labels: { team: 'data' }, annotations: { owner: 'ops' }, podAnnotations: { 'example.com/scrape': 'false' } });
    expect(manifest.metadata.labels).toEqual(testChartLabels('migrate', { team: 'data', 'app.kubernetes.io/version': '1.0' }));
    expect(manifest.metadata.annotations).toEqual({ owner: 'ops' });
    expect(manifest.spec.template.metadata.labels).toEqual(testChartLabels('migrate', { team: 'data', 'app.kubernetes.io/version': '1.0' }));
    expect(manifest.spec.template.metadata.annotations).toEqual({ 'example.com/scrape': 'false' });
  });

  test('is a pod target with no ports: a client of servers, never a server', () => {
    const scope = chart();
    const db = new StatefulApp(scope, 'Db', { name: 'db', image: 'db:1', port: 5432 });
    const job = new BatchJob(scope, 'Migrate', { name: 'migrate', image: 'app:1.0' });
    job.connections.allowTo(db);
    const [rule] = db.networkPolicy!.toJson().spec.ingress;
    expect(rule.from).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'migrate' } } }]);
    expect(job.containerPorts).toEqual([]);
    expect(() => db.connections.allowTo(job)).toThrow('test/Db: invalid connections.allowTo "migrate": migrate declares no port');
  });

  describe('refuses bad props, naming path, field and value', () => {
    test.each<[string, Partial<BatchJobProps>, string]>([
      ['name', { name: 'Migrate' }, 'test/Migrate: invalid name "Migrate": must be a DNS-1123 label'],
      ['name with suffix', { name: 'a'.repeat(60) }, `test/Migrate: invalid name (as "<name>-job") "${'a'.repeat(60)}-job": must be a DNS-1123 label`],
      ['restartPolicy', { restartPolicy: 'Always' as never }, 'test/Migrate: invalid restartPolicy "Always": must be one of "OnFailure", "Never"'],
      ['backoffLimit', { backoffLimit: -1 }, 'test/Migrate: invalid backoffLimit -1: must be an integer >= 0'],
      ['activeDeadlineSeconds', { activeDeadlineSeconds: 0 }, 'test/Migrate: invalid activeDeadlineSeconds 0: must be an integer >= 1'],
      ['ttlSecondsAfterFinished', { ttlSecondsAfterFinished: 1.5 }, 'test/Migrate: invalid ttlSecondsAfterFinished 1.5: must be an integer >= 0'],
      ['labels', { labels: { team: 'data science' } }, 'test/Migrate: invalid labels["team"] "data science": must be a label value'],
      ['annotations', { annotations: { 'bad key!': 'x' } }, 'test/Migrate: invalid annotations key "bad key!"'],
      ['podAnnotations', { podAnnotations: { 'bad key!': 'x' } }, 'test/Migrate: invalid podAnnotations key "bad key!"'],
      ['container props', { image: '' }, 'test/Migrate: invalid image "": must be a non-empty string'],
      ['selector label', { labels: { 'app.kubernetes.io/name': 'other' } }, 'test/Migrate: invalid labels["app.kubernetes.io/name"] "other": must be the workload\'s name "migrate"'],
    ])('%s', (_field, props, message) => {
      expect(() => synthJob(props)).toThrow(message);
    });
  });
});
