import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { buildJobTemplate, jobPropChecks, JobProps } from './job';
import { checkAll, checkInteger, checkOneOf, detachOnError, invalidProp } from './props';
import { checkWorkloadName, WorkloadBase } from './workload';
import { createJsonFormObject } from './json-form';
import { cronScheduleProblem, SCHEDULE_DESCRIPTORS, timeZoneProblem } from '../manifest/cron';

export { cronScheduleProblem } from '../manifest/cron';

/** What the CronJob controller does when a run is due while the previous one still runs. @inline */
export type ConcurrencyPolicy = 'Allow' | 'Forbid' | 'Replace';

const CONCURRENCY_POLICIES: readonly ConcurrencyPolicy[] = ['Allow', 'Forbid', 'Replace'];

/** Props of a {@link ScheduledJob}. */
export interface ScheduledJobProps extends JobProps {
  /** Base name: the CronJob is `<name>-cronjob` (at most 52 characters); also the `app.kubernetes.io/name` label of its pods. */
  readonly name: string;
  /** When to run: five cron fields (`"30 2 * * MON-FRI"`) or a macro such as `@hourly` or `@daily`. */
  readonly schedule: string;
  /** IANA time zone the schedule is read in, e.g. `Europe/Moscow`. @default - the kube-controller-manager's time zone */
  readonly timeZone?: string;
  /** `Forbid` skips a run while the previous one is still running; `Replace` stops the previous one; `Allow` runs both. @default 'Forbid' */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /** Seconds a missed run may start late before it is skipped. @default - no deadline */
  readonly startingDeadlineSeconds?: number;
  /** Finished successful Jobs kept for inspection. @default 3 (Kubernetes' default) */
  readonly successfulJobsHistoryLimit?: number;
  /** Failed Jobs kept for inspection. @default 1 (Kubernetes' default) */
  readonly failedJobsHistoryLimit?: number;
  /** Create no new runs (running ones continue). @default false */
  readonly suspend?: boolean;
}

/** The CronJob controller appends an 11-character suffix to the Job names, which must stay within 63. */
const MAX_CRON_JOB_NAME = 52;

/** The controller checks schedules every 10 seconds, so a shorter deadline may skip every run. */
const MIN_STARTING_DEADLINE_SECONDS = 10;

/**
 * A CronJob running a single-container pod on a schedule, with the same secure defaults as a
 * {@link BatchJob}. Its pods carry the `app.kubernetes.io/name` label, so it can be a client in
 * `connections.allowTo(server)`.
 */
@detachOnError
export class ScheduledJob extends WorkloadBase {
  public readonly cronJob: ApiObject;


  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id, { ...props, containerPorts: [] });
    const cronJobName = `${props.name}-cronjob`;
    checkAll(this, [
      () => {
        checkWorkloadName(this, props.name, 'cronjob');
        if (cronJobName.length > MAX_CRON_JOB_NAME) {
          throw invalidProp(this, 'name (as "<name>-cronjob")', cronJobName, `must be at most ${MAX_CRON_JOB_NAME} characters: the names of the Jobs it creates add 11`);
        }
      },
      () => checkSchedule(this, props.schedule),
      () => props.timeZone !== undefined && checkTimeZone(this, props.timeZone),
      () => checkOneOf(this, 'concurrencyPolicy', props.concurrencyPolicy ?? 'Forbid', CONCURRENCY_POLICIES),
      () => props.startingDeadlineSeconds !== undefined
        && checkInteger(this, 'startingDeadlineSeconds', props.startingDeadlineSeconds, MIN_STARTING_DEADLINE_SECONDS),
      ...(['successfulJobsHistoryLimit', 'failedJobsHistoryLimit'] as const).map((field) => () => {
        const limit = props[field];
        if (limit !== undefined) checkInteger(this, field, limit, 0);
      }),
      ...jobPropChecks(this, props.name, props),
    ]);
    const schedule = props.schedule;
    const concurrencyPolicy = props.concurrencyPolicy ?? 'Forbid';
    const { labels, spec } = buildJobTemplate(this, this.name, props, this.labels);

    this.cronJob = createJsonFormObject(k8s.KubeCronJob, this, 'CronJob', {
      metadata: this.objectMetadata(cronJobName),
      spec: {
        schedule,
        timeZone: props.timeZone,
        concurrencyPolicy,
        startingDeadlineSeconds: props.startingDeadlineSeconds,
        successfulJobsHistoryLimit: props.successfulJobsHistoryLimit,
        failedJobsHistoryLimit: props.failedJobsHistoryLimit,
        suspend: props.suspend,
        jobTemplate: { metadata: { labels }, spec },
      },
    });
    // Admits no incoming connection and only the declared outgoing ones (and DNS).
    this.protect(props);
  }
}

function checkSchedule(scope: Construct, schedule: string): string {
  const problem = typeof schedule === 'string' ? cronScheduleProblem(schedule) : 'not a string';
  if (problem) {
    throw invalidProp(scope, 'schedule', schedule, `must be five cron fields (minute hour day-of-month month day-of-week) or one of ${SCHEDULE_DESCRIPTORS.join(', ')}, "@every <duration>": ${problem}`);
  }
  return schedule;
}

function checkTimeZone(scope: Construct, timeZone: string): void {
  if (timeZoneProblem(timeZone) !== undefined) {
    throw invalidProp(scope, 'timeZone', timeZone, 'must be an IANA time zone name such as "Etc/UTC" or "Europe/Moscow"');
  }
}
