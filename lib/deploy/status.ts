/**
 * Whether a live object is ready, following kstatus (sigs.k8s.io/cli-utils pkg/kstatus/status,
 * core.go and generic.go): generic checks first (being deleted, observed generation, the
 * Reconciling and Stalled conditions), then the rules of the kind, then a `Ready` condition.
 * Two deliberate differences: a Job is ready only when complete (kstatus calls a started Job
 * current), and a Gateway API route is ready when every controller that reports on it says
 * Accepted and ResolvedRefs.
 * @module
 */
import type { KubeObject } from '../manifest/types';
import { asArray, asRecord, asString, field, records } from '../manifest/objects';
import { groupOf } from './cluster-api';

export type ReadyState = 'Current' | 'InProgress' | 'Failed' | 'Terminating';

export interface ObjectStatus {
  readonly state: ReadyState;
  /** Why it is not current: kstatus' reason (`LessUpdated`), or the condition's (`ProgressDeadlineExceeded`). */
  readonly reason: string;
  /** What is awaited, for the progress line: `1/2 updated`. */
  readonly message: string;
}

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

function conditions(object: unknown): Condition[] {
  return records(field(object, 'status', 'conditions')).map((c) => ({
    type: asString(c.type) ?? '', status: asString(c.status) ?? '', reason: asString(c.reason) ?? '', message: asString(c.message) ?? '',
  }));
}

function int(object: unknown, fallback: number, ...path: string[]): number {
  const value = field(object, ...path);
  return typeof value === 'number' ? value : fallback;
}

const current = (message: string): ObjectStatus => ({ state: 'Current', reason: '', message });
const inProgress = (reason: string, message: string): ObjectStatus => ({ state: 'InProgress', reason, message });
const failed = (reason: string, message: string): ObjectStatus => ({ state: 'Failed', reason, message });

function genericStatus(object: KubeObject): ObjectStatus | undefined {
  if (asString(field(object, 'metadata', 'deletionTimestamp'))) return { state: 'Terminating', reason: 'Terminating', message: 'being deleted' };
  const generation = field(object, 'metadata', 'generation');
  const observed = field(object, 'status', 'observedGeneration');
  if (typeof generation === 'number' && typeof observed === 'number' && observed !== generation) {
    return inProgress('LatestGenerationNotObserved', `generation ${generation} not observed yet (at ${observed})`);
  }
  for (const condition of conditions(object)) {
    if (condition.type === 'Reconciling' && condition.status === 'True') return inProgress(condition.reason, condition.message);
    if (condition.type === 'Stalled' && condition.status === 'True') return failed(condition.reason, condition.message);
  }
  return undefined;
}

function deploymentStatus(object: KubeObject): ObjectStatus {
  let progressing = field(object, 'spec', 'progressDeadlineSeconds') === undefined;
  let available = false;
  for (const c of conditions(object)) {
    if (c.type === 'Progressing') {
      if (c.reason === 'ProgressDeadlineExceeded') return failed(c.reason, c.message || 'progress deadline exceeded');
      if (c.status === 'True' && c.reason === 'NewReplicaSetAvailable') progressing = true;
    }
    if (c.type === 'Available' && c.status === 'True') available = true;
  }
  const spec = int(object, 1, 'spec', 'replicas');
  const replicas = int(object, 0, 'status', 'replicas');
  const updated = int(object, 0, 'status', 'updatedReplicas');
  const ready = int(object, 0, 'status', 'readyReplicas');
  const availableReplicas = int(object, 0, 'status', 'availableReplicas');
  if (spec > replicas) return inProgress('LessReplicas', `${replicas}/${spec} replicas`);
  if (spec > updated) return inProgress('LessUpdated', `${updated}/${spec} updated`);
  if (replicas > spec) return inProgress('ExtraPods', `${replicas - spec} old pods terminating`);
  if (updated > availableReplicas) return inProgress('LessAvailable', `${availableReplicas}/${updated} available`);
  if (spec > ready) return inProgress('LessReady', `${ready}/${spec} ready`);
  if (!progressing) return inProgress('ReplicaSetNotAvailable', 'new ReplicaSet not available');
  if (!available) return inProgress('DeploymentNotAvailable', 'not available');
  return current(`${replicas} available`);
}

function statefulSetStatus(object: KubeObject): ObjectStatus {
  if (field(object, 'spec', 'updateStrategy', 'type') === 'OnDelete') return current('OnDelete update strategy');
  const spec = int(object, 1, 'spec', 'replicas');
  const replicas = int(object, 0, 'status', 'replicas');
  const ready = int(object, 0, 'status', 'readyReplicas');
  const currentReplicas = int(object, 0, 'status', 'currentReplicas');
  const updated = int(object, 0, 'status', 'updatedReplicas');
  const partition = int(object, -1, 'spec', 'updateStrategy', 'rollingUpdate', 'partition');
  if (spec > replicas) return inProgress('LessReplicas', `${replicas}/${spec} replicas`);
  if (spec > ready) return inProgress('LessReady', `${ready}/${spec} ready`);
  if (replicas > spec) return inProgress('ExtraPods', `${replicas - spec} pods terminating`);
  if (partition !== -1) {
    return updated < spec - partition ? inProgress('PartitionRollout', `${updated}/${spec - partition} updated`) : current(`partition rolled out, ${updated} updated`);
  }
  if (spec > currentReplicas) return inProgress('LessCurrent', `${currentReplicas}/${spec} current`);
  if (asString(field(object, 'status', 'currentRevision')) !== asString(field(object, 'status', 'updateRevision'))) {
    return inProgress('RevisionMismatch', 'current revision is not the update revision yet');
  }
  return current(`${replicas} ready`);
}

function daemonSetStatus(object: KubeObject): ObjectStatus {
  if (field(object, 'status', 'observedGeneration') === undefined) return inProgress('NoObservedGeneration', 'not observed yet');
  const desired = int(object, -1, 'status', 'desiredNumberScheduled');
  if (desired === -1) return inProgress('NoDesiredNumber', 'no desired number yet');
  const counts: ReadonlyArray<[string, string, number]> = [
    ['LessCurrent', 'scheduled', int(object, 0, 'status', 'currentNumberScheduled')],
    ['LessUpdated', 'updated', int(object, 0, 'status', 'updatedNumberScheduled')],
    ['LessAvailable', 'available', int(object, 0, 'status', 'numberAvailable')],
    ['LessReady', 'ready', int(object, 0, 'status', 'numberReady')],
  ];
  for (const [reason, word, count] of counts) if (desired > count) return inProgress(reason, `${count}/${desired} ${word}`);
  return current(`${desired} ready`);
}

function replicaSetStatus(object: KubeObject): ObjectStatus {
  if (conditions(object).some((c) => c.type === 'ReplicaFailure' && c.status === 'True')) return inProgress('ReplicaFailure', 'replica failure; check the pods');
  const spec = int(object, 1, 'spec', 'replicas');
  const labelled = int(object, 0, 'status', 'fullyLabeledReplicas');
  const available = int(object, 0, 'status', 'availableReplicas');
  const ready = int(object, 0, 'status', 'readyReplicas');
  const replicas = int(object, 0, 'status', 'replicas');
  if (spec > labelled) return inProgress('LessLabelled', `${labelled}/${spec} labelled`);
  if (spec > available) return inProgress('LessAvailable', `${available}/${spec} available`);
  if (spec > ready) return inProgress('LessReady', `${ready}/${spec} ready`);
  if (replicas > spec) return inProgress('ExtraPods', `${replicas - spec} pods terminating`);
  return current(`${replicas} available`);
}

/** Unlike kstatus, a Job that runs is not ready: deploy waits for it to complete. */
function jobStatus(object: KubeObject): ObjectStatus {
  const parallelism = int(object, 1, 'spec', 'parallelism');
  const completions = int(object, parallelism, 'spec', 'completions');
  const succeeded = int(object, 0, 'status', 'succeeded');
  for (const c of conditions(object)) {
    if (c.type === 'Complete' && c.status === 'True') return current(`complete, ${succeeded}/${completions} succeeded`);
    if (c.type === 'Failed' && c.status === 'True') return failed(c.reason || 'JobFailed', c.message || `failed, ${int(object, 0, 'status', 'failed')} failed pods`);
  }
  if (!asString(field(object, 'status', 'startTime'))) return inProgress('JobNotStarted', 'not started');
  return inProgress('JobRunning', `${succeeded}/${completions} complete`);
}

function claimStatus(object: KubeObject): ObjectStatus {
  const phase = asString(field(object, 'status', 'phase')) ?? 'unknown';
  return phase === 'Bound' ? current('bound') : inProgress('NotBound', `not bound (${phase})`);
}

function crdStatus(object: KubeObject): ObjectStatus {
  for (const c of conditions(object)) {
    if (c.type === 'NamesAccepted' && c.status === 'False') return failed(c.reason, c.message);
    if (c.type === 'Established') {
      if (c.status === 'False' && c.reason !== 'Installing') return failed(c.reason, c.message);
      if (c.status === 'True') return current('established');
    }
  }
  return inProgress('Installing', 'not established yet');
}

function serviceStatus(object: KubeObject): ObjectStatus {
  if (field(object, 'spec', 'type') === 'LoadBalancer' && !asString(field(object, 'spec', 'clusterIP'))) return inProgress('NoIPAssigned', 'no cluster IP yet');
  return current('ready');
}

/** Every controller that reports on the route (status.parents) must call it Accepted with its references resolved. */
function routeStatus(object: KubeObject): ObjectStatus {
  for (const parent of records(field(object, 'status', 'parents'))) {
    const parentName = asString(field(parent, 'parentRef', 'name')) ?? '?';
    const byType = new Map(conditions({ status: parent }).map((c) => [c.type, c]));
    for (const type of ['Accepted', 'ResolvedRefs']) {
      const condition = byType.get(type);
      if (condition === undefined) return inProgress(`Not${type}`, `not ${type} by ${parentName} yet`);
      if (condition.status === 'False') return failed(condition.reason || `Not${type}`, `${type} False on ${parentName}: ${condition.message}`);
      if (condition.status !== 'True') return inProgress(condition.reason || `Not${type}`, `${type} ${condition.status} on ${parentName}`);
    }
  }
  return current(asArray(field(object, 'status', 'parents')).length ? 'accepted' : 'no controller reports on it');
}

function podStatus(object: KubeObject): ObjectStatus {
  const phase = asString(field(object, 'status', 'phase')) ?? '';
  const podConditions = conditions(object);
  if (phase === 'Succeeded' || phase === 'Failed') return current(`completed (${phase})`);
  if (phase === 'Running') {
    if (podConditions.some((c) => c.type === 'Ready' && c.status === 'True')) return current('ready');
    return inProgress('PodRunningNotReady', 'running, not ready');
  }
  const unschedulable = podConditions.find((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
  if (unschedulable) return inProgress('Unschedulable', unschedulable.message);
  return inProgress('PodPending', phase ? `phase ${phase}` : 'not observed yet');
}

const always = (): ObjectStatus => current('ready');

const RULES: Readonly<Record<string, (object: KubeObject) => ObjectStatus>> = {
  'apps/Deployment': deploymentStatus,
  'apps/StatefulSet': statefulSetStatus,
  'apps/DaemonSet': daemonSetStatus,
  'apps/ReplicaSet': replicaSetStatus,
  'batch/Job': jobStatus,
  'batch/CronJob': always,
  '/PersistentVolumeClaim': claimStatus,
  '/Pod': podStatus,
  '/Service': serviceStatus,
  '/Secret': always,
  '/ConfigMap': always,
  'policy/PodDisruptionBudget': always,
  'apiextensions.k8s.io/CustomResourceDefinition': crdStatus,
  'gateway.networking.k8s.io/HTTPRoute': routeStatus,
  'gateway.networking.k8s.io/GRPCRoute': routeStatus,
};

/** The readiness of a live object. */
export function objectStatus(object: KubeObject): ObjectStatus {
  const generic = genericStatus(object);
  if (generic) return generic;
  const rule = RULES[`${groupOf(object.apiVersion)}/${object.kind}`];
  if (rule) return rule(object);
  const ready = conditions(object).find((c) => c.type === 'Ready');
  if (ready && ready.status === 'False') return inProgress(ready.reason || 'NotReady', ready.message || 'not ready');
  if (ready && ready.status !== 'True') return inProgress(ready.reason || 'NotReady', `Ready is ${ready.status}`);
  return current('ready');
}

/** The container states that explain a pod that does not get ready: `backend: ImagePullBackOff (…)`. */
export function containerProblems(pod: KubeObject): string[] {
  const statuses = [...records(field(pod, 'status', 'initContainerStatuses')), ...records(field(pod, 'status', 'containerStatuses'))];
  return statuses.flatMap((status) => {
    const waiting = asRecord(field(status, 'state', 'waiting'));
    const reason = asString(waiting?.reason);
    if (!reason || reason === 'ContainerCreating' || reason === 'PodInitializing') return [];
    const message = asString(waiting?.message);
    return [`${asString(status.name) ?? '?'}: ${reason}${message ? ` (${message})` : ''}`];
  });
}
