// npm run cluster [-- --nodes N]: a local control plane on 127.0.0.1 until Ctrl-C.
import { BinariesUnavailableError } from './binaries';
import { LocalCluster } from './local-cluster';
import { parseClusterArguments } from './arguments';

async function main(): Promise<void> {
  const { nodes } = parseClusterArguments(process.argv.slice(2), 'usage: npm run cluster [-- --nodes N]');
  const cluster = await LocalCluster.start({ nodes });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: stopping the cluster`);
    void cluster.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('exit', () => cluster.killNow());
  console.log(`kubeconfig: ${cluster.kubeconfig}`);
  console.log(`  export KUBECONFIG=${cluster.kubeconfig}`);
  console.log(`  kubectl (this release): ${cluster.binaries.kubectl}`);
  console.log('Ctrl-C stops the cluster and removes its folder.');
  setInterval(() => undefined, 1 << 30);
}

main().catch((error) => {
  console.error(error instanceof BinariesUnavailableError ? `cluster cannot start: ${error.message}` : error.message);
  process.exit(1);
});
