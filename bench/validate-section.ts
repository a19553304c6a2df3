/**
 * The benchmark's validate section: `validate` against kubeconform (the schema validator teams run
 * in CI) on the same folders, each command in fresh processes, medians of wall time, CPU time (user
 * + system of the process and its children) and peak RSS, with ours ÷ kubeconform from the same
 * run; then where our time goes, phase by phase.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PARALLEL_READ_MIN_BYTES } from '../lib/manifest/parallel-read';
import { ensureKubeconform, ensureKubeconformSchemas } from './kubeconform';
import { median } from './measure';
import { formatMb, formatMs, formatRatio, formatTable } from './report';
import type { ReadWall, ValidatePhases } from './validate-phases';

/** One folder both validators read. */
export interface ValidateFolder {
  readonly name: string;
  readonly folder: string;
  readonly objects: number;
}

/** What one run of a command cost. CPU and RSS are NaN without GNU time at /usr/bin/time. */
export interface CommandUsage {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssKb: number;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Runs `argv` once; the exit codes of `accepted` count (by default 0 and 1: a validator exits 1
 * when it finds errors). CPU and peak RSS come from GNU time, which reports the command's children
 * too (run.js's bundle).
 */
export function runMeasured(argv: readonly string[], cwd: string, accepted: readonly number[] = [0, 1]): CommandUsage {
  const withTime = fs.existsSync(GNU_TIME);
  const usageFile = path.join(os.tmpdir(), `bench-time-${process.pid}.txt`);
  const command = withTime ? [GNU_TIME, '-f', '%U %S %M', '-o', usageFile, ...argv] : [...argv];
  const start = process.hrtime.bigint();
  const outcome = spawnSync(command[0], command.slice(1), { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (outcome.status === null || !accepted.includes(outcome.status)) throw new Error(`${argv.join(' ')} failed (${outcome.status ?? outcome.signal}):\n${outcome.stderr}`);
  if (!withTime) return { wallMs, cpuMs: NaN, maxRssKb: NaN };
  try {
    const [user, system, rss] = fs.readFileSync(usageFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return { wallMs, cpuMs: (user + system) * 1000, maxRssKb: rss };
  } finally {
    fs.rmSync(usageFile, { force: true });
  }
}

/** Medians of `runs` runs after `warmups` discarded ones; the two commands alternate, so a change in the machine's load hits both. */
export function measurePair(ours: readonly string[], theirs: readonly string[], runs: number, warmups: number, cwd: string): [CommandUsage, CommandUsage] {
  for (let i = 0; i < warmups; i++) {
    runMeasured(ours, cwd);
    runMeasured(theirs, cwd);
  }
  const samples: [CommandUsage[], CommandUsage[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    samples[0].push(runMeasured(ours, cwd));
    samples[1].push(runMeasured(theirs, cwd));
  }
  const summary = (list: CommandUsage[]): CommandUsage => ({
    wallMs: median(list.map((sample) => sample.wallMs)),
    cpuMs: median(list.map((sample) => sample.cpuMs)),
    maxRssKb: median(list.map((sample) => sample.maxRssKb)),
  });
  return [summary(samples[0]), summary(samples[1])];
}

function phasesOf<T>(folder: string, cwd: string, ...options: string[]): T {
  const outcome = spawnSync(process.execPath, ['scripts/run.js', 'bench/validate-phases.ts', folder, ...options], { cwd, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (outcome.status !== 0) throw new Error(`bench/validate-phases.ts ${folder} failed:\n${outcome.stderr}`);
  return JSON.parse(outcome.stdout.trim().split('\n').pop()!) as T;
}

/** Medians of the wall time of reading `folder` on one thread and on two, alternating, fresh processes. */
function readWalls(folder: string, runs: number, cwd: string): [number, number] {
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    samples[0].push(phasesOf<ReadWall>(folder, cwd, '--read-wall=1').wallMs);
    samples[1].push(phasesOf<ReadWall>(folder, cwd, '--read-wall=2').wallMs);
  }
  return [median(samples[0]), median(samples[1])];
}

/**
 * Node 20 reads and parses every certificate of NODE_EXTRA_CA_CERTS when a process starts, before
 * any of its code runs (https://github.com/nodejs/node/pull/23354; made lazy upstream by
 * https://github.com/nodejs/node/pull/44529); kubeconform reads none. The table says when the
 * environment sets it, since it is part of every `validate` time then.
 */
export function extraCaCertsNote(env: NodeJS.ProcessEnv): string[] {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  return [`NODE_EXTRA_CA_CERTS is set (${file}): each validate process parses those certificates at start-up; run with \`env -u NODE_EXTRA_CA_CERTS\` to measure without.`];
}

/** The section's text: the comparison table, then our phases. */
export function runValidateSection(folders: readonly ValidateFolder[], runs: number, warmups: number, cwd: string): string {
  const kubeconform = ensureKubeconform((line) => process.stderr.write(`${line}\n`));
  const schemas = ensureKubeconformSchemas((line) => process.stderr.write(`${line}\n`));
  const rows: string[][] = [];
  const phaseRows: string[][] = [];
  for (const { name, folder, objects } of folders) {
    process.stderr.write(`  validate vs kubeconform: ${name} ...`);
    const ours = [process.execPath, 'bin/habr-k8s.js', 'validate', folder];
    const theirs = [kubeconform, '-strict', '-summary', '-schema-location', schemas.folder, '-kubernetes-version', schemas.version, folder];
    const [our, their] = measurePair(ours, theirs, runs, warmups, cwd);
    process.stderr.write(` ${formatMs(our.wallMs)} ms vs ${formatMs(their.wallMs)} ms\n`);
    rows.push([
      name, String(objects),
      formatMs(our.wallMs), formatMs(our.cpuMs), formatMb(our.maxRssKb),
      formatMs(their.wallMs), formatMs(their.cpuMs), formatMb(their.maxRssKb),
      formatRatio(our.wallMs, their.wallMs), formatRatio(our.cpuMs, their.cpuMs), formatRatio(our.maxRssKb, their.maxRssKb),
    ]);
    const phases = phasesOf<ValidatePhases>(folder, cwd);
    const perObject = (ms: number) => `${((1000 * ms) / phases.objects).toFixed(0)}`;
    const [oneThread, twoThreads] = readWalls(folder, runs, cwd);
    phaseRows.push([
      name, String(phases.objects), formatMs(phases.readMs), formatMs(phases.schemaMs), formatMs(phases.validateMs),
      perObject(phases.readMs), perObject(phases.schemaMs), perObject(phases.validateMs),
      formatMs(oneThread), formatMs(twoThreads), formatRatio(twoThreads, oneThread),
    ]);
  }
  return [
    `validate (node bin/habr-k8s.js validate <folder>) vs kubeconform v0.8.0 (-strict, schemas of Kubernetes ${schemas.version}),`,
    `medians of ${runs} alternating runs after ${warmups} warm-up; CPU = user + system; RSS = peak; ratios = ours ÷ kubeconform, same run.`,
    ...extraCaCertsNote(process.env),
    '',
    formatTable(
      ['folder', 'objects', 'ours wall ms', 'ours CPU ms', 'ours RSS MB', 'kubeconform wall ms', 'kc CPU ms', 'kc RSS MB', 'wall ×', 'CPU ×', 'RSS ×'],
      rows,
    ),
    '',
    'Where validate spends its CPU time, in one process (schema = checkSchema of the target release, loading its definitions included;',
    'validate = validateObjects: schemas of the target and newer releases and every rule); then the wall time of reading the folder',
    `on one thread and on two (lib/manifest/parallel-read.ts, which validate uses from ${PARALLEL_READ_MIN_BYTES / (1 << 20)} MB of manifests), medians of ${runs} fresh processes each:`,
    '',
    formatTable([
      'folder', 'objects', 'read ms', 'schema ms', 'validate ms', 'read µs/object', 'schema µs/object', 'validate µs/object',
      'read wall 1 thread ms', 'read wall 2 threads ms', '2 ÷ 1',
    ], phaseRows),
  ].join('\n');
}
