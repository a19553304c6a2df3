// npm run test:cluster [-- jest args]: builds or finds the control plane's binaries (and helm and
// netpol-analyzer, the other Go tools the suite runs), then runs the
// cluster suite with jest. When the binaries can be neither found nor built it says why in one line
// and fails: the suite is never skipped.
import { spawnSync } from 'child_process';
import * as path from 'path';
import { BinariesUnavailableError, ensureClusterBinaries, ensureHelm } from '../../tools/cluster/binaries';
import { ensureNetpolAnalyzer } from '../../tools/netpol-analyzer/analyzer';

try {
  ensureClusterBinaries();
  // The Helm tests run the real helm on dist/helm.
  ensureHelm();
  // The reachability tests hold the policies to np-guard's analyzer.
  ensureNetpolAnalyzer();
} catch (error) {
  if (!(error instanceof BinariesUnavailableError)) throw error;
  console.error(`cluster suite cannot run: ${error.message}`);
  process.exit(1);
}
const root = path.join(__dirname, '..', '..');
const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '-c', 'jest.cluster.config.js', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(jest.status ?? 1);
