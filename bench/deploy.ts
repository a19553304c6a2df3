/**
 * `npm run bench -- --deploy`: `habr-k8s deploy` against kubectl on one local control plane, in
 * the same run: the demo's dev stage (dist/), and N units (Deployment + Service + HPA, charts of
 * 50). kubectl's time is `kubectl apply --server-side -f <folder>` followed by `kubectl rollout
 * status` of each Deployment and StatefulSet, one after another; ours is the whole deploy command
 * (plan, apply, wait, prune, revision). Between runs the objects are deleted and their pods
 * awaited gone, so every run starts from an empty namespace. Runs alternate which tool goes first.
 *
 *   --deploy-units=1000   units of the second scenario
 *   --runs=3              measured runs per tool and scenario (after one warm-up of ours on the demo)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { median, RunOptions, runOnce } from './measure';
import { formatMb, formatMs, formatRatio, formatTable } from './report';
import { LocalCluster } from '../tools/cluster/local-cluster';
import { ensureClusterBinaries } from '../tools/cluster/binaries';
import { loadManifestFolder } from '../lib/manifest/load';

const PROJECT_ROOT = join(__dirname, '..');
const DEPLOY_BIN = ['bin/habr-k8s.js'];
/** The units scenario's target: our deploy at most this fraction of kubectl's wall time. */
const UNITS_TARGET = 0.5;

interface Timing {
  readonly wallMs: number;
  readonly maxRssKb?: number;
}

function kubectl(cluster: LocalCluster, args: readonly string[]): void {
  const result = cluster.kubectl(args);
  if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr.trim()}`);
}

/** kubectl's way: one server-side apply of the folder, then `rollout status` of each workload in turn. */
function kubectlDeploy(cluster: LocalCluster, folder: string): Timing {
  const workloads = loadManifestFolder(folder, undefined, { recursive: false })
    .map(({ object }) => object)
    .filter((object) => object.kind === 'Deployment' || object.kind === 'StatefulSet');
  const start = process.hrtime.bigint();
  kubectl(cluster, ['apply', '--server-side', '-f', folder]);
  for (const workload of workloads) {
    kubectl(cluster, ['rollout', 'status', `${workload.kind.toLowerCase()}/${workload.metadata?.name}`, '-n', workload.metadata?.namespace ?? 'default', '--timeout=600s']);
  }
  return { wallMs: Number(process.hrtime.bigint() - start) / 1e6 };
}

function ourDeploy(folder: string, stage: string, runOptions: RunOptions): Timing {
  const sample = runOnce([process.execPath, ...DEPLOY_BIN, 'deploy', folder, '--stage', stage, '--timeout', '10m'], runOptions);
  return { wallMs: sample.wallMs, maxRssKb: sample.maxRssKb };
}

/** Deletes the folder's objects (the namespace `default` stays) and waits until their pods are gone. */
function teardown(cluster: LocalCluster, folder: string): void {
  cluster.kubectl(['delete', '-f', folder, '--ignore-not-found', '--wait=true']);
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
  readonly kubectl: number;
  readonly ours: number;
  readonly oursRssKb: number;
}

/** `warmUp`: one discarded deploy first, which also builds the command's cached bundle. */
function measureScenario(cluster: LocalCluster, scenario: string, folder: string, stage: string, runs: number, runOptions: RunOptions, warmUp: boolean): Row {
  const kubectlTimes: number[] = [];
  const ourTimes: Timing[] = [];
  process.stderr.write(`  ${scenario}:`);
  if (warmUp) {
    process.stderr.write(' warm-up ...');
    ourDeploy(folder, stage, runOptions);
    teardown(cluster, folder);
  }
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? ['kubectl', 'ours'] : ['ours', 'kubectl'];
    for (const tool of order) {
      if (tool === 'kubectl') kubectlTimes.push(kubectlDeploy(cluster, folder).wallMs);
      else ourTimes.push(ourDeploy(folder, stage, runOptions));
      teardown(cluster, folder);
    }
    process.stderr.write(` run ${run + 1}: kubectl ${formatMs(kubectlTimes.at(-1))} ms, ours ${formatMs(ourTimes.at(-1)?.wallMs)} ms;`);
  }
  process.stderr.write('\n');
  return {
    scenario,
    objects: loadManifestFolder(folder, undefined, { recursive: false }).length,
    kubectl: median(kubectlTimes),
    ours: median(ourTimes.map((time) => time.wallMs)),
    oursRssKb: median(ourTimes.map((time) => time.maxRssKb ?? NaN)),
  };
}

export async function runDeployBench(args: readonly string[], runOptions: RunOptions): Promise<void> {
  const value = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const units = Number(value('deploy-units') ?? 1000);
  const runs = Number(value('runs') ?? 3);
  const cluster = await LocalCluster.start({ nodes: nodesFor(units), binaries: ensureClusterBinaries(), log: (line) => process.stderr.write(`${line}\n`) });
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
    const rows = [
      measureScenario(cluster, 'demo dev stage (dist/)', join(PROJECT_ROOT, 'dist'), 'bench-demo', runs, runOptions, true),
      measureScenario(cluster, `${units} units, charts of 50`, folder, 'bench-units', runs, runOptions, false),
    ];
    console.log(`\nDeploy: medians of ${runs} runs per tool on one local control plane (kwok nodes), same run.`);
    console.log('kubectl = apply --server-side -f + rollout status of each workload; ours = habr-k8s deploy (plan, apply, wait, prune, revision).\n');
    console.log(formatTable(['scenario', 'objects', 'kubectl ms', 'ours ms', 'ours × kubectl', 'ours RSS MB'], rows.map((row) => [
      row.scenario, String(row.objects), formatMs(row.kubectl), formatMs(row.ours), formatRatio(row.ours, row.kubectl), formatMb(row.oursRssKb),
    ])));
    const unitsRow = rows[1];
    const ratio = unitsRow.ours / unitsRow.kubectl;
    console.log(`\nTarget (issue 26): ${units} units at most ${UNITS_TARGET}× kubectl's wall time: ${ratio.toFixed(2)}× — ${ratio <= UNITS_TARGET ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
    await cluster.stop();
  }
}
