/**
 * `npm run bench -- --section=deploy` (or `--deploy`): `habr-k8s deploy` against kubectl on one
 * local control plane, in the same run: the demo's dev stage (dist/), and N units (Deployment +
 * Service + HPA, charts of 50). kubectl's time is `kubectl apply --server-side -f <folder>`
 * followed by `kubectl rollout status` of each Deployment and StatefulSet, one after another; ours
 * is the whole deploy command (plan, apply, wait, prune, revision), with its own time per step
 * (`--timings`). Peak RSS of both from GNU time
 * (kubectl's: the largest of its processes). Where the time goes is read from the cluster after each
 * run: when the first and the last object were created, and when the last pod got Ready (the
 * controllers' share, the same for both tools), each from the command's start, to the second.
 * Between runs the objects are deleted and their pods awaited gone, so every run starts from an
 * empty namespace. Runs alternate which tool goes first.
 *
 *   --deploy-units=1000   units of the second scenario
 *   --runs=3              measured runs per tool and scenario (after one warm-up of ours on the demo)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { median } from './measure';
import { formatMb, formatMs, formatRatio, formatTable } from './report';
import { runMeasured } from './validate-section';
import { LocalCluster } from '../tools/cluster/local-cluster';
import { ensureClusterBinaries } from '../tools/cluster/binaries';
import { loadManifestFolder } from '../lib/manifest/load';

const PROJECT_ROOT = join(__dirname, '..');
const DEPLOY_BIN = join(PROJECT_ROOT, 'bin', 'habr-k8s.js');
/** The units scenario's target: our deploy at most this fraction of kubectl's wall time. */
const UNITS_TARGET = 0.5;
/** The kinds whose creation times mark the apply, in the scenarios' namespace. */
const APPLIED_KINDS = 'deployments,statefulsets,services,horizontalpodautoscalers,configmaps,jobs';

/** Seconds from the command's start, read from the cluster's timestamps (whole seconds). */
interface Timeline {
  readonly firstCreated: number;
  readonly lastCreated: number;
  readonly lastPodReady: number;
}

interface Timing extends Timeline {
  readonly wallMs: number;
  readonly maxRssKb: number;
  /** Ours only: seconds per step of the deploy, as its `--timings` tells them. */
  readonly steps?: Readonly<Record<string, number>>;
}

/** The steps `habr-k8s deploy --timings` names, in their order. */
const STEPS = ['lease', 'plan', 'parent', 'apply', 'wait', 'prune', 'revision'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

function kubectl(cluster: LocalCluster, args: readonly string[]): string {
  const result = cluster.kubectl(args);
  if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr.trim()}`);
  return result.stdout;
}

/** When, after `startMs`, the scenario's objects were created and its last pod got Ready. */
function timeline(cluster: LocalCluster, startMs: number): Timeline {
  const since = (time: string) => (Date.parse(time) - startMs) / 1000;
  const items = (args: string[]) => JSON.parse(kubectl(cluster, ['get', ...args, '-n', 'default', '-o', 'json'])).items as Json[];
  // Whole seconds: an object created in the command's first second may read as up to 1 s before it.
  const created = items([APPLIED_KINDS]).map((item) => since(item.metadata.creationTimestamp)).filter((time) => time >= -1);
  const ready = items(['pods']).flatMap((pod) => ((pod.status?.conditions ?? []) as Json[])
    .filter((c) => c.type === 'Ready' && c.status === 'True').map((c) => since(c.lastTransitionTime)));
  return { firstCreated: Math.min(...created), lastCreated: Math.max(...created), lastPodReady: ready.length ? Math.max(...ready) : NaN };
}

/** kubectl's way: one server-side apply of the folder, then `rollout status` of each workload in turn. */
function kubectlDeploy(cluster: LocalCluster, folder: string): Timing {
  const workloads = loadManifestFolder(folder, undefined, { recursive: false })
    .map(({ object }) => object)
    .filter((object) => object.kind === 'Deployment' || object.kind === 'StatefulSet');
  const base = [cluster.binaries.kubectl, '--kubeconfig', cluster.kubeconfig];
  const startMs = Date.now();
  const start = process.hrtime.bigint();
  let maxRssKb = runMeasured([...base, 'apply', '--server-side', '-f', folder], PROJECT_ROOT, [0]).maxRssKb;
  for (const workload of workloads) {
    const status = runMeasured([...base, 'rollout', 'status', `${workload.kind.toLowerCase()}/${workload.metadata?.name}`, '-n', workload.metadata?.namespace ?? 'default', '--timeout=600s'], PROJECT_ROOT, [0]);
    maxRssKb = Math.max(maxRssKb, status.maxRssKb);
  }
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  return { wallMs, maxRssKb, ...timeline(cluster, startMs) };
}

/** The step times of a `--timings` line (`timings: plan 1.2 s, apply 3.4 s, …`), in seconds. */
function stepsOf(stderr: string): Record<string, number> {
  const line = stderr.split('\n').find((text) => text.startsWith('timings: ')) ?? '';
  return Object.fromEntries([...line.matchAll(/(\w+) ([\d.]+) s/g)].map((match) => [match[1], Number(match[2])]));
}

function ourDeploy(cluster: LocalCluster, folder: string, stage: string): Timing {
  const stderrFile = join(tmpdir(), `bench-deploy-stderr-${process.pid}.txt`);
  const startMs = Date.now();
  // `exec` keeps GNU time measuring the deploy itself; its stderr (the --timings line) goes to a file.
  const usage = runMeasured(['sh', '-c', 'exec "$@" 2>"$0"', stderrFile, process.execPath, DEPLOY_BIN, 'deploy', folder, '--stage', stage, '--timeout', '10m', '--timings'], PROJECT_ROOT, [0]);
  const steps = stepsOf(readFileSync(stderrFile, 'utf8'));
  rmSync(stderrFile, { force: true });
  return { wallMs: usage.wallMs, maxRssKb: usage.maxRssKb, steps, ...timeline(cluster, startMs) };
}

/**
 * Deletes the folder's objects (the namespace `default` stays) and waits until their pods are gone.
 * Not `--wait=true`: kubectl awaits each deleted object in turn, minutes for 3,000 of them.
 */
function teardown(cluster: LocalCluster, folder: string): void {
  cluster.kubectl(['delete', '-f', folder, '--ignore-not-found', '--wait=false']);
  kubectl(cluster, ['wait', '--for=delete', 'pods', '--all', '-n', 'default', '--timeout=600s']);
}

function unitsFolder(units: number): string {
  const { App } = require('cdk8s') as typeof import('cdk8s');
  const { buildWebAppUnits } = require('./units-webapp') as typeof import('./units-webapp');
  const { renderApp } = require('../lib/render/synthesize') as typeof import('../lib/render/synthesize');
  const app = new App();
  buildWebAppUnits(app, units, 50);
  const folder = mkdtempSync(join(tmpdir(), 'bench-deploy-units-'));
  for (const file of renderApp(app).files) writeFileSync(join(folder, file.file), file.content);
  return folder;
}

/** Each unit runs 2 pods requesting 250m CPU; a simulated node has 16 CPUs: enough nodes for all of them, and spare. */
function nodesFor(units: number): number {
  return Math.max(3, Math.ceil((units * 2 * 0.25) / 16) + 2);
}

interface Row {
  readonly scenario: string;
  readonly objects: number;
  readonly kubectl: Timing;
  readonly ours: Timing;
}

/** The median of each field over the runs. */
function medianTiming(timings: readonly Timing[]): Timing {
  const of = (key: Exclude<keyof Timing, 'steps'>) => median(timings.map((timing) => timing[key]));
  const steps = timings.some((timing) => timing.steps)
    ? Object.fromEntries(STEPS.map((step) => [step, median(timings.map((timing) => timing.steps?.[step] ?? 0))]))
    : undefined;
  return { wallMs: of('wallMs'), maxRssKb: of('maxRssKb'), firstCreated: of('firstCreated'), lastCreated: of('lastCreated'), lastPodReady: of('lastPodReady'), ...(steps ? { steps } : {}) };
}

/** `warmUp`: one discarded deploy first, which also builds the command's cached bundle. */
function measureScenario(cluster: LocalCluster, scenario: string, folder: string, stage: string, runs: number, warmUp: boolean): Row {
  const kubectlTimes: Timing[] = [];
  const ourTimes: Timing[] = [];
  process.stderr.write(`  ${scenario}:`);
  if (warmUp) {
    process.stderr.write(' warm-up ...');
    ourDeploy(cluster, folder, stage);
    teardown(cluster, folder);
  }
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? ['kubectl', 'ours'] : ['ours', 'kubectl'];
    for (const tool of order) {
      if (tool === 'kubectl') kubectlTimes.push(kubectlDeploy(cluster, folder));
      else ourTimes.push(ourDeploy(cluster, folder, stage));
      teardown(cluster, folder);
    }
    process.stderr.write(` run ${run + 1}: kubectl ${formatMs(kubectlTimes.at(-1)?.wallMs)} ms, ours ${formatMs(ourTimes.at(-1)?.wallMs)} ms;`);
  }
  process.stderr.write('\n');
  return {
    scenario,
    objects: loadManifestFolder(folder, undefined, { recursive: false }).length,
    kubectl: medianTiming(kubectlTimes),
    ours: medianTiming(ourTimes),
  };
}

function seconds(value: number): string {
  return Number.isNaN(value) ? '?' : String(Math.round(value) || 0);
}

export async function runDeployBench(args: readonly string[]): Promise<void> {
  const value = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const units = Number(value('deploy-units') ?? 1000);
  const runs = Number(value('runs') ?? 3);
  const controllerQps = value('controller-qps');
  const controllerManagerQps = controllerQps === undefined ? undefined : Number(controllerQps);
  const cluster = await LocalCluster.start({
    nodes: nodesFor(units), binaries: ensureClusterBinaries(), controllerManagerQps, log: (line) => process.stderr.write(`${line}\n`),
  });
  const folder = unitsFolder(units);
  process.env.KUBECONFIG = cluster.kubeconfig;
  try {
    // What the demo needs beside dist/ (README): storage for its claims and the out-of-band Secret.
    const volumes = Array.from({ length: 4 }, (_, i) => JSON.stringify({
      apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: `bench-pv-${i}` },
      spec: { capacity: { storage: '20Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: `/tmp/bench-pv-${i}` } },
    }));
    cluster.kubectlOk(['apply', '--server-side', '-f', '-'], volumes.join('\n'));
    kubectl(cluster, ['create', 'secret', 'generic', 'mongodb-secret', '--from-literal=password.txt=bench-only']);
    process.stderr.write(`Deploy benchmark on Kubernetes ${cluster.version}, ${runs} runs per tool:\n`);
    const controllerRate = controllerManagerQps === undefined ? 'its default 20 requests a second' : `${controllerManagerQps} requests a second (--controller-qps)`;
    const rows = [
      measureScenario(cluster, 'demo dev stage (dist/)', join(PROJECT_ROOT, 'dist'), 'bench-demo', runs, true),
      measureScenario(cluster, `${units} units, charts of 50`, folder, 'bench-units', runs, false),
    ];
    console.log(`\nDeploy: medians of ${runs} runs per tool on one local control plane (${nodesFor(units)} kwok nodes, kube-controller-manager at ${controllerRate}), same run.`);
    console.log('kubectl = apply --server-side -f + rollout status of each workload; ours = habr-k8s deploy (plan, apply, wait, prune, revision).\n');
    console.log(formatTable(['scenario', 'objects', 'kubectl ms', 'ours ms', 'ours × kubectl', 'kubectl RSS MB', 'ours RSS MB'], rows.map((row) => [
      row.scenario, String(row.objects), formatMs(row.kubectl.wallMs), formatMs(row.ours.wallMs), formatRatio(row.ours.wallMs, row.kubectl.wallMs),
      formatMb(row.kubectl.maxRssKb), formatMb(row.ours.maxRssKb),
    ])));
    console.log('\nWhere the time goes, seconds from the command\'s start (cluster timestamps, whole seconds):\n');
    console.log(formatTable(['scenario', 'tool', 'first object', 'last object', 'last pod Ready', 'exit'], rows.flatMap((row) => (['kubectl', 'ours'] as const).map((tool) => [
      row.scenario, tool, seconds(row[tool].firstCreated), seconds(row[tool].lastCreated), seconds(row[tool].lastPodReady), seconds(row[tool].wallMs / 1000),
    ]))));
    console.log('\nOur steps, seconds (habr-k8s deploy --timings; the revision\'s reads overlap the wait, prune and parent):\n');
    console.log(formatTable(['scenario', ...STEPS], rows.map((row) => [row.scenario, ...STEPS.map((step) => (row.ours.steps?.[step] ?? NaN).toFixed(1))])));
    const unitsRow = rows[1];
    const ratio = unitsRow.ours.wallMs / unitsRow.kubectl.wallMs;
    console.log(`\nTarget (issue 26): ${units} units at most ${UNITS_TARGET}× kubectl's wall time: ${ratio.toFixed(2)}× — ${ratio <= UNITS_TARGET ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
    await cluster.stop();
  }
}
