import { App } from 'cdk8s';
import { HabrStack } from '../../apps/habr/stack';
import { DEV } from '../../apps/habr/stages';
import { appManifests } from '../../lib/render/manifests';

describe('habr seed Job (dev stage)', () => {
  const app = new App();
  const stack = new HabrStack(app, DEV);
  const manifests = appManifests(app);
  const seedFile = manifests.find((m) => m.chart.node.id === 'seed')!;
  const job = seedFile.objects.find((o) => o.kind === 'Job') as any;
  const pod = job.spec.template.spec;
  const [container] = pod.containers;

  test('is the last chart, applied after the backend', () => {
    expect(manifests.map((m) => m.file)).toEqual([
      '00-platform.yaml', '01-mongo.yaml', '02-redis.yaml', '03-worker.yaml', '04-backend.yaml', '05-frontend.yaml', '06-seed.yaml',
    ]);
    expect(job.metadata.name).toBe('seed-job');
  });

  test('runs add_test_content in the backend image with the backend settings', () => {
    expect(container.image).toBe(DEV.images.backend);
    expect(container.imagePullPolicy).toBe('Never');
    expect(container.command).toEqual(['python', '-m', 'tools.add_test_content']);
    expect(container.env).toEqual([{ name: 'APP_ENV', value: 'k8s_secrets' }]);
    expect(job.spec.backoffLimit).toBe(6);
    expect(pod.restartPolicy).toBe('OnFailure');
  });

  test('mounts the mongo password Secret where mongo reads it', () => {
    expect(pod.volumes).toContainEqual({ name: 'mongodb-secret-volume', secret: { secretName: 'mongodb-secret', optional: false } });
    expect(container.volumeMounts).toContainEqual({ name: 'mongodb-secret-volume', mountPath: stack.mongo.passwordSecretMount.mountPath, readOnly: true });
  });

  test('is admitted by the mongo and redis NetworkPolicies', () => {
    const seedPeer = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'seed' } } };
    for (const server of [stack.mongo, stack.redis]) {
      const rules = server.networkPolicy!.toJson().spec.ingress;
      expect(rules).toContainEqual({ from: [seedPeer], ports: [{ protocol: 'TCP', port: server.containerPorts[0].port }] });
    }
  });
});
