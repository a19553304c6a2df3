/** Small manifests for the deploy tests. */
import type { KubeObject, SourcedObject } from '../../lib/manifest/types';

export function deployment(name: string, image = 'nginx:1.27', replicas = 2): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } } },
  };
}

export function configMap(name: string, data: Record<string, string> = { key: 'value' }, namespace = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

export function sourced(objects: readonly KubeObject[], source = '00-app.yaml'): SourcedObject[] {
  return objects.map((object, order) => ({ object, source, order }));
}

/** What a Deployment controller and kwok write once the pods run: every replica updated, ready and available. */
export function rolledOut(object: KubeObject): KubeObject {
  const replicas = (object.spec as { replicas?: number }).replicas ?? 1;
  return {
    ...object,
    status: {
      observedGeneration: object.metadata?.generation, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    },
  };
}
