/**
 * `habr-k8s deploy`, `habr-k8s history` and `habr-k8s rollback`: a stage's synthesized output
 * folder deployed to the cluster kubectl would use, as a kubectl-compatible ApplySet (see
 * lib/deploy). The folder is what `synth` wrote and validated; it is read and validated again,
 * so a folder edited by hand since never reaches the cluster with an error in it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { UsageError, UserError } from '../errors';
import { readManifestFolder } from '../manifest/load';
import { formatReport, validateObjects } from '../validation/index';
import type { SourcedObject } from '../manifest/types';
import { stageParent } from '../deploy/applyset';
import { ClusterApi } from '../deploy/cluster-api';
import { connectCluster } from '../deploy/kube-client';
import { deploy } from '../deploy/deploy';
import { DEFAULT_KEPT_REVISIONS, listRevisions, readRevision } from '../deploy/history';
import { SYSTEM_CLOCK } from '../deploy/clock';
import { CliCommand, CommandIo } from './io';
import { packageVersion } from './package-version';

/** `90s`, `5m`, `1h` or plain seconds, as whole seconds. */
export function parseDuration(option: string, value: string): number {
  const match = /^(\d+)(s|m|h)?$/.exec(value);
  if (!match) throw new UsageError(`${option} ${value}: expected a duration such as 90s, 5m or 1h`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 's' | 'm' | 'h'];
}

export interface ParsedOptions {
  readonly values: Readonly<Record<string, string>>;
  readonly flags: ReadonlySet<string>;
  readonly positional: readonly string[];
}

/** `--name value`, `--name=value` and `--flag` as the command allows them; anything else is a usage error. */
export function parseOptions(args: readonly string[], valueOptions: readonly string[], flagOptions: readonly string[], maxPositional: number): ParsedOptions {
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const eq = args[i].startsWith('--') ? args[i].indexOf('=') : -1;
    const [name, inline] = eq > 0 ? [args[i].slice(0, eq), args[i].slice(eq + 1)] : [args[i], undefined];
    if (valueOptions.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) throw new UsageError(`${name} needs a value`);
      values[name] = value;
    } else if (flagOptions.includes(name) && inline === undefined) {
      flags.add(name);
    } else if (name.startsWith('-')) {
      throw new UsageError(`unknown option ${name}`);
    } else {
      positional.push(name);
    }
  }
  if (positional.length > maxPositional) throw new UsageError(`unexpected argument ${positional[maxPositional]}`);
  return { values, flags, positional };
}

const STAGE_NAME = /^[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?$/;

interface Target {
  readonly stage: string;
  readonly namespace: string;
  readonly api: ClusterApi;
}

/** The stage named by `--stage` (default dev), checked. */
export function stageOf(parsed: ParsedOptions): string {
  const stage = parsed.values['--stage'] ?? 'dev';
  if (!STAGE_NAME.test(stage)) throw new UsageError(`--stage ${stage}: a stage is lower-case letters, digits and dashes`);
  return stage;
}

function target(parsed: ParsedOptions, io: CommandIo): Target {
  const stage = stageOf(parsed);
  const namespace = parsed.values['--namespace'] ?? 'default';
  return { stage, namespace, api: connectCluster({ kubeconfig: parsed.values['--kubeconfig'], context: parsed.values['--context'] }, io.env, io.cwd) };
}

/** The stage's output folder: `dist/` for dev, `dist/<stage>/` for the others, as synth writes them. */
export function stageFolder(stage: string): string {
  return stage === 'dev' ? 'dist' : path.join('dist', stage);
}

/** The objects of the output folder, refused when a file cannot be read or validation finds an error. */
export function readStageFolder(folder: string, io: CommandIo): SourcedObject[] {
  const dir = path.resolve(io.cwd, folder);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UserError(`${folder}: no such folder; synthesize the stage first`);
  const read = readManifestFolder(dir, { recursive: false });
  if (read.objects.length === 0 && read.findings.length === 0) throw new UserError(`${folder}: no manifests in it; synthesize the stage first`);
  const report = validateObjects(read.objects, { externalObjects: read.externalObjects });
  const findings = [...read.findings, ...report.findings];
  const errors = findings.filter((finding) => finding.severity === 'error');
  if (errors.length) {
    io.err(formatReport({ ...report, findings: errors, errors: errors.length, warnings: 0 }));
    throw new UserError(`${folder}: ${errors.length} errors; nothing deployed`);
  }
  return read.objects;
}

/** The help lines of the options that choose the cluster and the stage's namespace. */
export const CONNECTION_HELP = [
  '  --kubeconfig FILE    the kubeconfig (default: KUBECONFIG, then ~/.kube/config, as kubectl)',
  '  --context NAME       the context (default: the current context)',
  '  --namespace NS       where the stage\'s ApplySet parent, revisions and Lease live (default: default)',
];

const RUN_HELP = [
  '  --dry-run            plan only: server-side dry-run and the diff against the live cluster; changes nothing',
  '  --timeout DURATION   how long the objects may take to get ready, e.g. 90s, 5m (default: 5m)',
  '  --lock-timeout DURATION  how long to wait for another deploy of the stage (default: 2m)',
  '  --force-conflicts    take over fields another field manager owns instead of refusing',
  '  --prune-namespaces   prune a Namespace that left the app (kept otherwise)',
  '  --prune-claims       prune a PersistentVolumeClaim that left the app (kept otherwise)',
  `  --keep-revisions N   revisions kept in the cluster (default: ${DEFAULT_KEPT_REVISIONS})`,
  '  --timings            at the end, how long each step took (lease, plan, parent, apply, wait, prune, revision), on stderr',
];

const RUN_VALUES = ['--stage', '--timeout', '--lock-timeout', '--kubeconfig', '--context', '--namespace', '--keep-revisions'];
const RUN_FLAGS = ['--dry-run', '--force-conflicts', '--prune-namespaces', '--prune-claims', '--timings'];

/** The run options that need no cluster, checked before connecting. */
function runSettings(parsed: ParsedOptions): { stage: string; keep?: number; timeoutSeconds: number; lockWaitSeconds: number } {
  const keep = parsed.values['--keep-revisions'];
  if (keep !== undefined && !/^[1-9]\d*$/.test(keep)) throw new UsageError(`--keep-revisions ${keep}: expected a whole number from 1`);
  return {
    stage: stageOf(parsed),
    keep: keep === undefined ? undefined : Number(keep),
    timeoutSeconds: parseDuration('--timeout', parsed.values['--timeout'] ?? '5m'),
    lockWaitSeconds: parseDuration('--lock-timeout', parsed.values['--lock-timeout'] ?? '2m'),
  };
}

async function runDeployOf(objects: readonly SourcedObject[], description: string, parsed: ParsedOptions, chosen: Target, io: CommandIo): Promise<number> {
  const settings = runSettings(parsed);
  let shown = '';
  const outcome = await deploy(objects, chosen.api, {
    stage: chosen.stage,
    parent: stageParent(chosen.stage, chosen.namespace),
    dryRun: parsed.flags.has('--dry-run'),
    forceConflicts: parsed.flags.has('--force-conflicts'),
    pruneProtected: new Set([...(parsed.flags.has('--prune-namespaces') ? ['Namespace'] : []), ...(parsed.flags.has('--prune-claims') ? ['PersistentVolumeClaim'] : [])]),
    timeoutSeconds: settings.timeoutSeconds,
    lockWaitSeconds: settings.lockWaitSeconds,
    keepRevisions: settings.keep,
    description,
    toolingVersion: `v${packageVersion()}`,
    clock: SYSTEM_CLOCK,
    log: (line) => io.out(line),
    timings: parsed.flags.has('--timings') ? (steps) => io.err(`timings: ${steps.map(({ step, milliseconds }) => `${step} ${(milliseconds / 1000).toFixed(1)} s`).join(', ')}`) : undefined,
    progress: io.interactive ? (line) => {
      if (line !== shown) io.err(line);
      shown = line;
    } : undefined,
  });
  return outcome.exitCode;
}

export const DEPLOY_COMMAND: CliCommand = {
  name: 'deploy',
  summary: 'apply a stage\'s output folder to the cluster as an ApplySet: plan, apply, wait until ready, prune, record a revision',
  help: [
    'usage: habr-k8s deploy [FOLDER] [--stage NAME] [--dry-run] [--timeout DURATION] [--kubeconfig FILE] [--context NAME] [options]',
    '',
    'Deploys FOLDER (default: dist/ for stage dev, dist/<stage>/ otherwise), validated again, with server-side',
    'apply as field manager habr-k8s. First every object is dry-run on the server and compared with the live one;',
    'if the server refuses any, nothing is applied. Then Namespaces and CRDs, then each file in order; then it waits',
    'until every object is ready, prunes the members of the stage\'s ApplySet (Secret habr-k8s-<stage>) the folder',
    'no longer has, and records the deploy as a revision. One deploy of a stage at a time (a Lease).',
    'Same set as: KUBECTL_APPLYSET=true kubectl apply --server-side --prune --applyset=secret/habr-k8s-<stage> -n NS -f FOLDER',
    '',
    '  --stage NAME         the stage (default: dev)',
    ...RUN_HELP,
    ...CONNECTION_HELP,
    '',
    'Exit codes: 0 deployed (or planned), 1 refused, not ready in time or failed, 2 a wrong command line.',
  ].join('\n'),
  async run(args, io) {
    const parsed = parseOptions(args, RUN_VALUES, RUN_FLAGS, 1);
    const { stage } = runSettings(parsed);
    const folder = parsed.positional[0] ?? stageFolder(stage);
    const objects = readStageFolder(folder, io);
    return runDeployOf(objects, folder, parsed, target(parsed, io), io);
  },
};

export const ROLLBACK_COMMAND: CliCommand = {
  name: 'rollback',
  summary: 'deploy a recorded revision of a stage again (by default the one before the latest)',
  help: [
    'usage: habr-k8s rollback [--to REVISION] [--stage NAME] [--dry-run] [--timeout DURATION] [--kubeconfig FILE] [--context NAME] [options]',
    '',
    'Reads revision REVISION of the stage from the cluster (see habr-k8s history) and deploys its manifests as',
    'habr-k8s deploy does: plan, apply, wait, prune. The rollback is recorded as a new revision.',
    '',
    '  --to REVISION        the revision number (default: the one before the latest)',
    '  --stage NAME         the stage (default: dev)',
    ...RUN_HELP,
    ...CONNECTION_HELP,
  ].join('\n'),
  async run(args, io) {
    const parsed = parseOptions(args, [...RUN_VALUES, '--to'], RUN_FLAGS, 0);
    const to = parsed.values['--to'];
    if (to !== undefined && !/^[1-9]\d*$/.test(to)) throw new UsageError(`--to ${to}: a revision is a whole number from 1 (see habr-k8s history)`);
    runSettings(parsed);
    const chosen = target(parsed, io);
    const { revision, objects } = await readRevision(chosen.api, stageParent(chosen.stage, chosen.namespace), chosen.stage, to === undefined ? undefined : Number(to));
    io.out(`rolling stage ${chosen.stage} back to revision ${revision.number} (${revision.description}, deployed ${revision.deployedAt})`);
    return runDeployOf(objects, `rollback to ${revision.number}`, parsed, chosen, io);
  },
};

export const HISTORY_COMMAND: CliCommand = {
  name: 'history',
  summary: 'the recorded revisions of a stage on the cluster',
  help: [
    'usage: habr-k8s history [--stage NAME] [--kubeconfig FILE] [--context NAME] [--namespace NS]',
    '',
    'One line per revision kept in the cluster, oldest first: number, time, what was deployed, object count.',
    '',
    '  --stage NAME         the stage (default: dev)',
    ...CONNECTION_HELP,
  ].join('\n'),
  async run(args, io) {
    const parsed = parseOptions(args, ['--stage', '--kubeconfig', '--context', '--namespace'], [], 0);
    const chosen = target(parsed, io);
    const revisions = await listRevisions(chosen.api, stageParent(chosen.stage, chosen.namespace), chosen.stage);
    if (revisions.length === 0) io.out(`stage ${chosen.stage} has no recorded revision`);
    for (const revision of revisions) io.out(`${revision.number}\t${revision.deployedAt}\t${revision.description}\t${revision.objectCount} objects`);
    return 0;
  },
};
