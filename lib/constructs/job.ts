import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { NetworkPolicyProps } from './protection';
import { APP_CONTAINER_DEFAULTS, buildPodTemplate, checkPodTemplate, PodTemplateProps } from './pod-template';
import { checkAll, checkInteger, checkOneOf, detachOnError } from './props';
import { checkWorkloadName, WorkloadBase, workloadMetadataChecks, WorkloadMetadataProps } from './workload';
import { createJsonFormObject } from './json-form';

/** What the kubelet does when a Job's container exits with an error. @inline */
export type JobRestartPolicy = 'OnFailure' | 'Never';

const JOB_RESTART_POLICIES: readonly JobRestartPolicy[] = ['OnFailure', 'Never'];

/** What a Job runs and how often it may fail: shared by {@link BatchJob} and {@link ScheduledJob}. */
export interface JobProps extends PodTemplateProps, WorkloadMetadataProps, NetworkPolicyProps {
  /** `OnFailure` restarts the container in the same pod; `Never` starts a new pod for each retry. @default 'OnFailure' */
  readonly restartPolicy?: JobRestartPolicy;
  /** Retries before the Job is marked failed (the delay doubles each time, up to 6 minutes). @default 6 (Kubernetes' default) */
  readonly backoffLimit?: number;
  /** Seconds the Job may run, retries included, before its pods are stopped and it is marked failed. @default - no limit */
  readonly activeDeadlineSeconds?: number;
  /**
   * Seconds after finishing before Kubernetes deletes the Job. Unset on purpose: a Job that is part
   * of the manifests and has been deleted is re-created, and so re-run, by the next
   * `kubectl apply -f dist`. A CronJob cleans up through its history limits instead.
   * @default - the finished Job is kept
   */
  readonly ttlSecondsAfterFinished?: number;
}

/** The parts of a Job built from {@link JobProps}: its labels and spec. */
export interface JobTemplate {
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: k8s.JobSpec;
}

/**
 * Builds the Job spec with a single-container pod template (the application defaults: restricted
 * security, bounded resources, no ports) of props that {@link jobPropChecks} accepted: the
 * construct runs those checks in its own {@link checkAll} first, and this does not check again.
 */
export function buildJobTemplate(scope: IConstruct, name: string, props: JobProps, labels: Readonly<Record<string, string>>): JobTemplate {
  const restartPolicy = props.restartPolicy ?? 'OnFailure';
  const { backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished } = props;
  const template = buildPodTemplate(scope, {
    containerName: name,
    container: props,
    defaults: APP_CONTAINER_DEFAULTS,
    labels,
    annotations: props.podAnnotations,
    ports: [],
    restartPolicy,
  });
  return { labels, spec: { backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished, template } };
}

/** The checks of {@link buildJobTemplate}, one per prop, for a construct's own {@link checkAll}. */
export function jobPropChecks(scope: IConstruct, name: string, props: JobProps): (() => unknown)[] {
  return [
    () => checkOneOf(scope, 'restartPolicy', props.restartPolicy ?? 'OnFailure', JOB_RESTART_POLICIES),
    () => optionalInteger(scope, 'backoffLimit', props.backoffLimit, 0),
    () => optionalInteger(scope, 'activeDeadlineSeconds', props.activeDeadlineSeconds, 1),
    () => optionalInteger(scope, 'ttlSecondsAfterFinished', props.ttlSecondsAfterFinished, 0),
    ...workloadMetadataChecks(scope, name, props),
    () => checkPodTemplate(scope, { container: props, defaults: APP_CONTAINER_DEFAULTS, ports: [], containerName: name }),
  ];
}

function optionalInteger(scope: IConstruct, field: string, value: number | undefined, min: number): number | undefined {
  return value === undefined ? undefined : checkInteger(scope, field, value, min);
}

/** Props of a {@link BatchJob}. */
export interface BatchJobProps extends JobProps {
  /** Base name: the Job is `<name>-job`; also the `app.kubernetes.io/name` label of its pods. */
  readonly name: string;
}

/**
 * A Job that runs one pod to completion, retrying on failure. Its pods carry the
 * `app.kubernetes.io/name` label, so it can be a client in `connections.allowTo(server)`;
 * it listens on no port, so nothing can connect to it, and its NetworkPolicy says so too.
 *
 * A Job's pod template is immutable: applying changed manifests (a new image, say) fails until the
 * old Job is deleted.
 */
@detachOnError
export class BatchJob extends WorkloadBase {
  public readonly job: ApiObject;


  constructor(scope: Construct, id: string, props: BatchJobProps) {
    super(scope, id, { ...props, containerPorts: [] });
    checkAll(this, [
      // The Job controller labels pods with the Job's name, so it must be a label value too.
      () => checkWorkloadName(this, props.name, 'job'),
      ...jobPropChecks(this, props.name, props),
    ]);
    const { spec } = buildJobTemplate(this, this.name, props, this.labels);
    this.job = createJsonFormObject(k8s.KubeJob, this, 'Job', { metadata: this.objectMetadata(`${this.name}-job`), spec });
    // Admits no incoming connection and only the declared outgoing ones (and DNS).
    this.protect(props);
  }
}
