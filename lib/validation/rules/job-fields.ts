import { asRecord, Json } from '../../manifest/objects';
import { IndexedObject, ObjectIndex, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { cronScheduleProblem, timeZoneProblem } from '../../manifest/cron';
import { FieldFindings, show } from '../field-checks';

function checkJobSpec(checks: FieldFindings, spec: Json, path: string): void {
  for (const field of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes']) {
    checks.inRange(`${path}.${field}`, spec[field], 0);
  }
  checks.oneOf(`${path}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']);
  // Without parallelism either, completions defaults to 1; with parallelism it stays unset.
  if (spec.completionMode === 'Indexed' && spec.completions === undefined && spec.parallelism !== undefined) {
    checks.reject(`${path}.completions`, `${path}.completionMode is Indexed and parallelism is set, but completions is not`, 'Set completions to the number of indexes.');
  }
  if (spec.completionMode !== 'Indexed') {
    for (const field of ['backoffLimitPerIndex', 'maxFailedIndexes']) {
      if (spec[field] !== undefined) checks.reject(`${path}.${field}`, `${path}.${field} is set, but it needs completionMode: Indexed`, 'Remove it or use completionMode: Indexed.');
    }
  }
  if (spec.podFailurePolicy !== undefined && asRecord(asRecord(spec.template)?.spec)?.restartPolicy === 'OnFailure') {
    checks.reject(`${path}.template.spec.restartPolicy`, `${path}.podFailurePolicy is set, which needs restartPolicy Never, not OnFailure`, 'Set restartPolicy: Never.');
  }
}

function checkJob(object: IndexedObject): Finding[] {
  const checks = new FieldFindings(jobFields, object);
  checkJobSpec(checks, asRecord(object.object.spec) ?? {}, 'spec');
  return checks.findings;
}

function checkCronJob(object: IndexedObject): Finding[] {
  const checks = new FieldFindings(jobFields, object);
  const spec = asRecord(object.object.spec) ?? {};
  if (typeof spec.schedule === 'string') {
    const problem = spec.schedule === '' ? 'it is empty' : cronScheduleProblem(spec.schedule);
    if (problem) {
      checks.reject('spec.schedule', `spec.schedule ${show(spec.schedule)} is not a schedule the API server parses: ${problem}`,
        'Write five cron fields (minute hour day-of-month month day-of-week), e.g. "30 2 * * *", or a macro such as @daily or "@every 1h".');
    }
  }
  if (typeof spec.timeZone === 'string') {
    const problem = timeZoneProblem(spec.timeZone);
    if (problem) checks.reject('spec.timeZone', `spec.timeZone ${show(spec.timeZone)} is not a time zone the API server knows: ${problem}`, 'Use an IANA name such as "Etc/UTC" or "Europe/Moscow".');
  }
  checks.oneOf('spec.concurrencyPolicy', spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace']);
  for (const field of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) checks.inRange(`spec.${field}`, spec[field], 0);
  const jobSpec = asRecord(asRecord(spec.jobTemplate)?.spec);
  if (jobSpec) {
    checkJobSpec(checks, jobSpec, 'spec.jobTemplate.spec');
    if (jobSpec.selector !== undefined) checks.reject('spec.jobTemplate.spec.selector', 'spec.jobTemplate.spec.selector is set, but the CronJob generates the selector of each Job', 'Remove the selector.');
    if (jobSpec.manualSelector === true) checks.reject('spec.jobTemplate.spec.manualSelector', 'spec.jobTemplate.spec.manualSelector is true, but a CronJob\'s Jobs always get a generated selector', 'Remove manualSelector.');
  }
  return checks.findings;
}

export const jobFields: Rule = {
  id: 'job-fields',
  summary: 'Jobs have non-negative counts and a known completion mode; CronJobs have a schedule robfig/cron parses (no TZ in it), a known time zone and concurrency policy, and non-negative limits.',
  breaks: 'kubectl apply fails: the API server validates Job and CronJob specs.',
  apiServer: 'rejects',
  check: (index: ObjectIndex) => [...findingsOf(index.byKind('Job'), checkJob), ...findingsOf(index.byKind('CronJob'), checkCronJob)],
};
