/**
 * A real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver (default admission plugins,
 * PodSecurity included), kube-controller-manager, kube-scheduler, and kwok simulating the nodes and
 * the pods' lifecycle (no container runs). Each cluster has its own free ports and its own temporary
 * folder, so two can run at once.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { KubectlResult, runKubectl } from '../../lib/validation/kubectl';
import { ClusterBinaries, ensureClusterBinaries, kubernetesVersion } from './binaries';
import { kubeconfigYaml, makeCertificates } from './certificates';

export interface LocalClusterOptions {
  /** How many simulated nodes, each with its own `kubernetes.io/hostname` and a zone of three. @default 3 */
  readonly nodes?: number;
  /** Where progress lines go. @default - standard error */
  readonly log?: (line: string) => void;
  /** The binaries to run. @default - ensureClusterBinaries() */
  readonly binaries?: ClusterBinaries;
  /** How long each component may take to become ready, in seconds. @default 120 */
  readonly readyTimeoutSeconds?: number;
  /**
   * Requests a second kube-controller-manager may send to the API server (its `--kube-api-qps`;
   * `--kube-api-burst` is twice that), for benchmarks that ask how far its client limit bounds them.
   * @default - the controller-manager's own default, 20 a second (burst 30)
   */
  readonly controllerManagerQps?: number;
}

interface Component {
  readonly name: string;
  readonly process: ChildProcess;
  readonly logFile: string;
  exited?: string;
}

/** The label and annotation that mark a node as simulated by this cluster's kwok. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

const CONTROLLER_CLIENTS = ['kube-controller-manager', 'kube-scheduler', 'kwok'];

/** kube-controller-manager's client rate flags for {@link LocalClusterOptions.controllerManagerQps}: none for its default. */
export function controllerManagerRateFlags(qps: number | undefined): string[] {
  if (qps === undefined) return [];
  if (!Number.isInteger(qps) || qps < 1) throw new Error(`controllerManagerQps must be a whole number of requests a second from 1 up, not ${qps}`);
  return [`--kube-api-qps=${qps}`, `--kube-api-burst=${2 * qps}`];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Node objects for kwok: allocatable enough for every test, distinct host names, three zones. */
export function simulatedNodes(count: number): string {
  const zones = ['zone-a', 'zone-b', 'zone-c'];
  return Array.from({ length: count }, (_, i) => {
    const name = `kwok-node-${i}`;
    return JSON.stringify({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
        labels: {
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'node-role.kubernetes.io/agent': '',
          'topology.kubernetes.io/zone': zones[i % zones.length],
          type: 'kwok',
        },
      },
      status: {
        allocatable: { cpu: '16', memory: '64Gi', pods: '110', 'ephemeral-storage': '100Gi' },
        capacity: { cpu: '16', memory: '64Gi', pods: '110', 'ephemeral-storage': '100Gi' },
        nodeInfo: { architecture: 'amd64', operatingSystem: 'linux', kubeletVersion: 'fake', kubeProxyVersion: 'fake' },
      },
    });
  }).join('\n');
}

export class LocalCluster {
  /** Builds (or finds) the binaries and starts a cluster; resolves once every node is Ready. */
  static async start(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    const log = options.log ?? ((line: string) => console.error(line));
    const binaries = options.binaries ?? ensureClusterBinaries(log);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'habr-k8s-cluster-'));
    const cluster = new LocalCluster(dir, binaries, log, options.readyTimeoutSeconds ?? 120);
    try {
      await cluster.boot(options.nodes ?? 3, options.controllerManagerQps);
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** The kubeconfig of an admin (`system:masters`) user: `kubectl --kubeconfig <this>`. */
  readonly kubeconfig: string;
  /** The Kubernetes release the control plane runs, e.g. `v1.34.4`. */
  readonly version = kubernetesVersion();
  /** The API server's URL, on 127.0.0.1. */
  server = '';
  /** Seconds from the first process started to every node Ready. */
  startupSeconds = 0;

  private readonly components: Component[] = [];
  /** kube-apiserver's flags, kept for a restart. */
  private apiServerArgs: readonly string[] = [];
  /** The admin's client certificate and the CA, to ask the API server whether it is ready. */
  private adminTls: https.RequestOptions = {};
  private readonly peakMemoryKb: Record<string, number> = {};
  private stopped = false;

  private constructor(
    /** The cluster's temporary folder: certificates, etcd data, logs. Removed by stop(). */
    readonly dir: string,
    readonly binaries: ClusterBinaries,
    private readonly log: (line: string) => void,
    private readonly readyTimeoutSeconds: number,
  ) {
    this.kubeconfig = path.join(dir, 'admin.kubeconfig');
  }

  /** Runs kubectl against this cluster. */
  kubectl(args: readonly string[], input?: string): KubectlResult {
    return runKubectl({ kubectl: this.binaries.kubectl, kubeconfig: this.kubeconfig }, args, input);
  }

  /** Runs kubectl and throws, with what it printed, when it fails. */
  kubectlOk(args: readonly string[], input?: string): string {
    const result = this.kubectl(args, input);
    if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${result.status}): ${result.stderr.trim()}`);
    return result.stdout;
  }

  /** Peak resident memory of each component so far, in kB (VmHWM). */
  peakMemory(): Record<string, number> {
    for (const component of this.components) {
      try {
        const status = fs.readFileSync(`/proc/${component.process.pid}/status`, 'utf8');
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        this.peakMemoryKb[component.name] = Math.max(this.peakMemoryKb[component.name] ?? 0, kb);
      } catch {
        // The process is gone; its last reading stands.
      }
    }
    return { ...this.peakMemoryKb };
  }

  /** Stops every component (newest first) and removes the cluster's folder. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.peakMemory();
    for (const component of [...this.components].reverse()) await this.terminate(component);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Kills every component at once, synchronously: for process exit handlers. */
  killNow(): void {
    for (const component of this.components) {
      if (component.exited === undefined) component.process.kill('SIGKILL');
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async boot(nodeCount: number, controllerManagerQps: number | undefined): Promise<void> {
    const started = Date.now();
    const certs = makeCertificates(path.join(this.dir, 'pki'), CONTROLLER_CLIENTS);
    const [etcdClient, etcdPeer, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);
    this.server = `https://127.0.0.1:${apiPort}`;
    fs.writeFileSync(this.kubeconfig, kubeconfigYaml(this.server, certs.caCert, certs.adminCert, certs.adminKey, 'habr-k8s-admin'));
    const componentKubeconfig = (name: string): string => {
      const file = path.join(this.dir, `${name}.kubeconfig`);
      const { cert, key } = certs.componentCerts[name];
      fs.writeFileSync(file, kubeconfigYaml(this.server, certs.caCert, cert, key, name));
      return file;
    };

    this.launch('etcd', this.binaries.etcd, [
      '--name=habr-k8s',
      `--data-dir=${path.join(this.dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=habr-k8s=http://127.0.0.1:${etcdPeer}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);
    await this.waitFor('etcd', () => httpOk(`http://127.0.0.1:${etcdClient}/health`));

    this.apiServerArgs = [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${path.join(this.dir, 'apiserver-certs')}`,
      `--tls-cert-file=${certs.serverCert}`,
      `--tls-private-key-file=${certs.serverKey}`,
      `--client-ca-file=${certs.caCert}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${certs.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${certs.serviceAccountKey}`,
      // Only the ClusterIP allocator's range: no traffic goes to these addresses.
      '--service-cluster-ip-range=10.96.0.0/16',
      '--authorization-mode=Node,RBAC',
      '--profiling=false',
      '--v=0',
    ];
    this.adminTls = { ca: fs.readFileSync(certs.caCert), cert: fs.readFileSync(certs.adminCert), key: fs.readFileSync(certs.adminKey) };
    await this.startApiServer();

    this.launch('kube-controller-manager', this.binaries['kube-controller-manager'], [
      `--kubeconfig=${componentKubeconfig('kube-controller-manager')}`,
      '--secure-port=0',
      '--leader-elect=false',
      '--use-service-account-credentials=false',
      `--service-account-private-key-file=${certs.serviceAccountKey}`,
      `--root-ca-file=${certs.caCert}`,
      `--cluster-signing-cert-file=${certs.caCert}`,
      `--cluster-signing-key-file=${certs.caKey}`,
      '--cluster-name=habr-k8s-local',
      ...controllerManagerRateFlags(controllerManagerQps),
      '--v=0',
    ]);
    this.launch('kube-scheduler', this.binaries['kube-scheduler'], [
      `--kubeconfig=${componentKubeconfig('kube-scheduler')}`,
      '--secure-port=0',
      '--leader-elect=false',
      '--v=0',
    ]);
    this.launch('kwok', this.binaries.kwok, [
      `--kubeconfig=${componentKubeconfig('kwok')}`,
      '--manage-all-nodes=false',
      `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
      // No kubelet endpoint: with port 0 kwok opens no server (no exec, logs or port-forward).
      '--node-port=0',
      '--cidr=10.244.0.0/16',
      '--node-ip=127.0.0.1',
      // kwok renews each node's Lease: without it the node controller sees no heartbeat within its
      // grace period about a minute after start, marks every node NotReady and every pod not Ready,
      // and kwok never marks the pods Ready again.
      '--node-lease-duration-seconds=40',
    ]);

    this.kubectlOk(['apply', '--server-side', '--field-manager=habr-k8s-cluster', '-f', '-'], simulatedNodes(nodeCount));
    await this.waitFor('kwok nodes', () => {
      const nodes = JSON.parse(this.kubectlOk(['get', 'nodes', '-o', 'json'])).items as NodeJson[];
      return nodes.length === nodeCount && nodes.every((node) => node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    });
    // The service-account controller makes `default` in each namespace; the ServiceAccount admission
    // plugin refuses pods until it exists.
    await this.waitFor('kube-controller-manager', () => this.kubectl(['get', 'serviceaccount', 'default', '-n', 'default']).status === 0);
    this.startupSeconds = (Date.now() - started) / 1000;
    this.log(`cluster ${this.version} ready on ${this.server} in ${this.startupSeconds.toFixed(1)} s (${nodeCount} kwok nodes)`);
  }

  /**
   * Stops kube-apiserver (SIGTERM, as a rolling restart of a control plane does), leaves it down
   * for `downSeconds`, and starts it again with the same flags, port, certificates and etcd;
   * resolves once it is ready again. The other components and the clients see their connections
   * refused meanwhile, then reconnect.
   */
  async restartApiServer(downSeconds = 0): Promise<void> {
    const running = this.components.find((component) => component.name === 'kube-apiserver' && component.exited === undefined);
    if (!running) throw new Error('kube-apiserver is not running');
    this.peakMemory();
    await this.terminate(running);
    this.components.splice(this.components.indexOf(running), 1);
    await sleep(downSeconds * 1000);
    await this.startApiServer();
  }

  private async startApiServer(): Promise<void> {
    this.launch('kube-apiserver', this.binaries['kube-apiserver'], this.apiServerArgs);
    await this.waitFor('kube-apiserver', () => httpOk(`${this.server}/readyz`, this.adminTls));
  }

  private launch(name: string, binary: string, args: readonly string[]): void {
    const logFile = path.join(this.dir, 'logs', `${name}.log`);
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const out = fs.openSync(logFile, 'a');
    const child = spawn(binary, args, { stdio: ['ignore', out, out], cwd: this.dir });
    fs.closeSync(out);
    const component: Component = { name, process: child, logFile };
    child.on('exit', (code, signal) => {
      component.exited = signal ?? String(code);
    });
    child.on('error', (error) => {
      component.exited = error.message;
    });
    this.components.push(component);
  }

  private async waitFor(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
    const deadline = Date.now() + this.readyTimeoutSeconds * 1000;
    let lastError = '';
    for (;;) {
      const dead = this.components.find((c) => c.exited !== undefined);
      if (dead) throw new Error(`${dead.name} exited (${dead.exited}) while waiting for ${what}:\n${tail(dead.logFile)}`);
      try {
        if (await check()) return;
      } catch (error) {
        lastError = (error as Error).message;
      }
      if (Date.now() > deadline) {
        const logs = this.components.map((c) => `--- ${c.name}\n${tail(c.logFile, 5)}`).join('\n');
        throw new Error(`${what} not ready after ${this.readyTimeoutSeconds} s${lastError ? ` (${lastError})` : ''}\n${logs}`);
      }
      await sleep(250);
    }
  }

  private async terminate(component: Component): Promise<void> {
    if (component.exited !== undefined) return;
    const exited = new Promise<void>((resolve) => component.process.once('exit', () => resolve()));
    component.process.kill('SIGTERM');
    const escalate = setTimeout(() => component.process.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(escalate);
  }
}

interface NodeJson {
  readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string }[] };
}

function httpOk(url: string, tls?: https.RequestOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const client = url.startsWith('https:') ? https : http;
    const request = client.get(url, { ...tls, timeout: 2000, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}
