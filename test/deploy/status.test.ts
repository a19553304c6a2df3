import { containerProblems, objectStatus } from '../../lib/deploy/status';
import type { KubeObject } from '../../lib/manifest/types';
import { deployment, rolledOut } from './objects';

function withStatus(object: KubeObject, status: Record<string, unknown>, generation = 1): KubeObject {
  return { ...object, metadata: { ...object.metadata, generation }, status };
}

describe('objectStatus (kstatus rules)', () => {
  const web: KubeObject = { ...deployment('web'), metadata: { name: 'web', namespace: 'default', generation: 1 } };

  test('a rolled-out Deployment is current', () => {
    expect(objectStatus(rolledOut(web))).toEqual({ state: 'Current', reason: '', message: '2 available' });
  });

  test('observed generation first: a Deployment whose new generation is not observed is in progress', () => {
    expect(objectStatus({ ...rolledOut(web), metadata: { ...web.metadata, generation: 2 } })).toEqual({
      state: 'InProgress', reason: 'LatestGenerationNotObserved', message: 'generation 2 not observed yet (at 1)',
    });
  });

  test('a Deployment in rollout says what is awaited, in kstatus\' order', () => {
    const status = (s: Record<string, unknown>) => objectStatus(withStatus(web, { observedGeneration: 1, ...s }));
    expect(status({ replicas: 1 })).toMatchObject({ reason: 'LessReplicas', message: '1/2 replicas' });
    expect(status({ replicas: 2, updatedReplicas: 1 })).toMatchObject({ reason: 'LessUpdated', message: '1/2 updated' });
    expect(status({ replicas: 3, updatedReplicas: 2 })).toMatchObject({ reason: 'ExtraPods', message: '1 old pods terminating' });
    expect(status({ replicas: 2, updatedReplicas: 2, availableReplicas: 1 })).toMatchObject({ reason: 'LessAvailable', message: '1/2 available' });
    const counted = { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2, readyReplicas: 2 };
    expect(objectStatus(withStatus({ ...web, spec: { ...(web.spec as object), progressDeadlineSeconds: 600 } }, counted))).toMatchObject({ reason: 'ReplicaSetNotAvailable' });
    expect(status(counted)).toMatchObject({ reason: 'DeploymentNotAvailable', message: 'not available' });
  });

  test('ProgressDeadlineExceeded fails the Deployment', () => {
    const stuck = withStatus({ ...web, spec: { ...(web.spec as object), progressDeadlineSeconds: 60 } }, {
      observedGeneration: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing.' }],
    });
    expect(objectStatus(stuck)).toEqual({ state: 'Failed', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing.' });
  });

  test('a StatefulSet is current only when its current revision is the update revision', () => {
    const sts: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', generation: 1 }, spec: { replicas: 1 } };
    const base = { observedGeneration: 1, replicas: 1, readyReplicas: 1, currentReplicas: 1, updatedReplicas: 1 };
    expect(objectStatus(withStatus(sts, { ...base, currentRevision: 'db-1', updateRevision: 'db-2' }))).toMatchObject({ state: 'InProgress', reason: 'RevisionMismatch' });
    expect(objectStatus(withStatus(sts, { ...base, currentRevision: 'db-2', updateRevision: 'db-2' }))).toMatchObject({ state: 'Current' });
  });

  test('a running Job is not ready (unlike kstatus); a complete one is; a failed one fails', () => {
    const job: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'seed', generation: 1 }, spec: {} };
    expect(objectStatus(withStatus(job, { startTime: '2026-01-01T00:00:00Z', active: 1 }))).toEqual({ state: 'InProgress', reason: 'JobRunning', message: '0/1 complete' });
    expect(objectStatus(withStatus(job, { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }))).toMatchObject({ state: 'Current' });
    expect(objectStatus(withStatus(job, { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] })))
      .toEqual({ state: 'Failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
  });

  test('a PVC is ready when bound, a CRD when Established', () => {
    const claim: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' } };
    expect(objectStatus(withStatus(claim, { phase: 'Pending' }))).toEqual({ state: 'InProgress', reason: 'NotBound', message: 'not bound (Pending)' });
    expect(objectStatus(withStatus(claim, { phase: 'Bound' }))).toMatchObject({ state: 'Current' });
    const crd: KubeObject = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x.example.com' } };
    expect(objectStatus(withStatus(crd, { conditions: [{ type: 'Established', status: 'False', reason: 'Installing' }] }))).toMatchObject({ state: 'InProgress', reason: 'Installing' });
    expect(objectStatus(withStatus(crd, { conditions: [{ type: 'Established', status: 'True' }] }))).toMatchObject({ state: 'Current' });
    expect(objectStatus(withStatus(crd, { conditions: [{ type: 'NamesAccepted', status: 'False', reason: 'MultipleNamesNotAllowed', message: 'taken' }] })))
      .toEqual({ state: 'Failed', reason: 'MultipleNamesNotAllowed', message: 'taken' });
  });

  test('an HTTPRoute is ready when every reporting controller accepts it with resolved references; unreported, it is current', () => {
    const route: KubeObject = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web' } };
    const parents = (conditions: unknown[]) => withStatus(route, { parents: [{ parentRef: { name: 'gw' }, conditions }] });
    expect(objectStatus(route)).toEqual({ state: 'Current', reason: '', message: 'no controller reports on it' });
    expect(objectStatus(parents([{ type: 'Accepted', status: 'True' }]))).toEqual({ state: 'InProgress', reason: 'NotResolvedRefs', message: 'not ResolvedRefs by gw yet' });
    expect(objectStatus(parents([{ type: 'Accepted', status: 'True' }, { type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound', message: 'no Service web' }])))
      .toEqual({ state: 'Failed', reason: 'BackendNotFound', message: 'ResolvedRefs False on gw: no Service web' });
    expect(objectStatus(parents([{ type: 'Accepted', status: 'True' }, { type: 'ResolvedRefs', status: 'True' }]))).toMatchObject({ state: 'Current' });
  });

  test('an object being deleted is Terminating; a Stalled condition fails any kind; a Ready=False condition holds an unknown kind', () => {
    expect(objectStatus({ ...web, metadata: { ...web.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } })).toMatchObject({ state: 'Terminating' });
    const custom: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(objectStatus(withStatus(custom, { conditions: [{ type: 'Stalled', status: 'True', reason: 'Broken', message: 'no' }] }))).toEqual({ state: 'Failed', reason: 'Broken', message: 'no' });
    expect(objectStatus(withStatus(custom, { conditions: [{ type: 'Ready', status: 'False', reason: 'Waiting', message: 'soon' }] }))).toEqual({ state: 'InProgress', reason: 'Waiting', message: 'soon' });
  });

  test('an unschedulable pod says Unschedulable with the scheduler\'s message; container problems name the container', () => {
    const pod: KubeObject = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1' },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }],
        containerStatuses: [{ name: 'web', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:nope"' } } }],
      },
    };
    expect(objectStatus(pod)).toEqual({ state: 'InProgress', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' });
    expect(containerProblems(pod)).toEqual(['web: ImagePullBackOff (Back-off pulling image "nginx:nope")']);
  });
});
