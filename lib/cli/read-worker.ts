/**
 * The worker thread of lib/manifest/parallel-read.ts as this program runs: from the build, the
 * compiled module; in a checkout, its TypeScript bundled by the bin's runner (lib/cli/run-ts.ts),
 * with a code cache of its own.
 */
import * as path from 'path';
import type * as workerThreads from 'worker_threads';
import type { ReadWorkerStarter } from '../manifest/parallel-read';

const fromSources = path.extname(__filename) === '.ts';

const READER = path.join(__dirname, '..', 'manifest', fromSources ? 'parallel-read.ts' : 'parallel-read.js');
const BIN = path.join(__dirname, '..', '..', 'bin', 'habr-k8s.js');

const BOOTSTRAP = `
const { workerData } = require('worker_threads');
const reader = workerData.reader.endsWith('.ts')
  ? require(workerData.bin).loadRunner().loadEntry(workerData.reader, 'read-worker')
  : Promise.resolve(require(workerData.reader));
reader.then((module) => module.serveManifestReads(workerData));
`;

/** Starts a worker that reads manifest files with this thread (see parallelFileReader). */
export const startReadWorker: ReadWorkerStarter = (data, transferList) => new (require('worker_threads') as typeof workerThreads).Worker(BOOTSTRAP, {
  eval: true,
  workerData: { ...data, reader: READER, bin: BIN },
  transferList,
});
