/**
 * lib/manifest/parallel-read.ts: a folder read by this thread and a worker thread gives what one
 * thread reads, in file order, whoever reads which file, and whatever becomes of the worker.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { writePublicCorpus } from '../../bench/public-corpus';
import { startReadWorker } from '../../lib/cli/read-worker';
import { readManifestFile, readManifestFolder } from '../../lib/manifest/load';
import { parallelFileReader, ReadWorkerStarter } from '../../lib/manifest/parallel-read';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'parallel-read-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A public-style corpus (many small files, mistakes included) with a file that cannot be read and one that is no YAML. */
const corpus = path.join(root, 'corpus');
writePublicCorpus(corpus, 40);
fs.writeFileSync(path.join(corpus, 'broken.yaml'), 'kind: [unclosed\n');
fs.symlinkSync(path.join(root, 'missing.yaml'), path.join(corpus, 'dangling.yaml'));
const serial = readManifestFolder(corpus);

/** Starts the real worker, then holds this thread until the worker has claimed every file: it reads them all. */
const workerReadsAll: ReadWorkerStarter = (data, transferList) => {
  const worker = startReadWorker(data, transferList);
  const claims = new Int32Array(data.counters);
  while (Atomics.load(claims, 0) < data.files.length) Atomics.wait(claims, 0, Atomics.load(claims, 0), 50);
  return worker;
};

/** A worker that runs `code` (with `files`, `claims` and `port` in scope) instead of the reader. */
function fakeWorker(code: string): ReadWorkerStarter {
  return (data, transferList) => new Worker(
    `const { workerData: { files, counters, port } } = require('worker_threads'); const claims = new Int32Array(counters); ${code}`,
    { eval: true, workerData: data, transferList },
  );
}

describe('parallelFileReader', () => {
  it('gives what one thread reads when the worker reads every file', () => {
    expect(serial.findings.map((finding) => finding.rule)).toEqual(expect.arrayContaining(['yaml', 'manifest-file', 'yaml-1.1', 'yaml-duplicate-key']));
    expect(readManifestFolder(corpus, { readFiles: parallelFileReader(workerReadsAll, 0) })).toEqual(serial);
  });

  it('gives what one thread reads when both threads read', () => {
    expect(readManifestFolder(corpus, { readFiles: parallelFileReader(startReadWorker, 0) })).toEqual(serial);
  });

  it('reads with this thread alone below the size that pays for a worker', () => {
    const never: ReadWorkerStarter = () => {
      throw new Error('no worker below the minimum');
    };
    expect(readManifestFolder(corpus, { readFiles: parallelFileReader(never) })).toEqual(serial);
  });

  /** kubectl's order of the corpus's files, as the reader is handed them. */
  function fileOrder(): string[] {
    let order: string[] = [];
    readManifestFolder(corpus, {
      readFiles: (files) => {
        order = files.map(({ file }) => file);
        return files.map(readManifestFile);
      },
    });
    return order;
  }

  /** A small-input callback that counts how often the mode starts and ends: counts() is [started, ended]. */
  function smallInputCounter() {
    let started = 0;
    let ended = 0;
    const smallInput = () => {
      started += 1;
      return () => {
        ended += 1;
      };
    };
    return { smallInput, counts: () => [started, ended] };
  }

  /** The real worker, recording the files it is handed. */
  function recordingWorker(handed: string[][]): ReadWorkerStarter {
    return (data, transferList) => {
      handed.push(data.files.map(({ file }) => file));
      return startReadWorker(data, transferList);
    };
  }

  it('tells a large folder by its first file: two threads from the start, no small-input mode', () => {
    const order = fileOrder();
    const first = fs.statSync(order[0]).size;
    const handed: string[][] = [];
    const small = smallInputCounter();
    // All the files at the first one's size would hold the minimum.
    for (const minBytes of [0, first, first * order.length]) {
      expect(readManifestFolder(corpus, { readFiles: parallelFileReader(recordingWorker(handed), minBytes, undefined, small.smallInput) })).toEqual(serial);
    }
    expect(handed).toEqual([order, order, order]);
    expect(small.counts()).toEqual([0, 0]);
  });

  it('reads a folder that looks small here, and goes on with two threads from where it turns out large', () => {
    const order = fileOrder();
    const sizes = order.map((file) => fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0);
    const minBytes = sizes.reduce((total, size) => total + size, 0) - sizes[sizes.length - 1];
    expect(sizes[0] * order.length).toBeLessThan(minBytes);
    const handed: string[][] = [];
    const small = smallInputCounter();
    expect(readManifestFolder(corpus, { readFiles: parallelFileReader(recordingWorker(handed), minBytes, undefined, small.smallInput) })).toEqual(serial);
    expect(small.counts()).toEqual([1, 1]);
    expect(handed).toHaveLength(1);
    expect(handed[0].length).toBeGreaterThan(1);
    expect(handed[0]).toEqual(order.slice(order.length - handed[0].length));
    expect(handed[0]).not.toContain(order[1]);
  });

  it('stays in the small-input mode to the end below the minimum', () => {
    const small = smallInputCounter();
    const never: ReadWorkerStarter = () => {
      throw new Error('no worker below the minimum');
    };
    expect(readManifestFolder(corpus, { readFiles: parallelFileReader(never, undefined, undefined, small.smallInput) })).toEqual(serial);
    expect(small.counts()).toEqual([1, 0]);
  });

  it('reads here the files of a worker that fails to start', () => {
    expect(readManifestFolder(corpus, { readFiles: parallelFileReader(fakeWorker("throw new Error('no reader');"), 0) })).toEqual(serial);
  });

  it('reads here a file the worker failed on', () => {
    const failsFirst = fakeWorker("const index = Atomics.add(claims, 0, 1); port.postMessage({ index, failed: 'boom' }); Atomics.add(claims, 1, 1); Atomics.notify(claims, 1);");
    expect(readManifestFolder(corpus, { readFiles: parallelFileReader(failsFirst, 0) })).toEqual(serial);
  });

  it('reads here a file the worker claimed and never posted, once the worker has stalled long enough', () => {
    const claimsAndDies = fakeWorker('Atomics.add(claims, 0, 1); process.exit(0);');
    expect(readManifestFolder(corpus, { readFiles: parallelFileReader(claimsAndDies, 0, 200) })).toEqual(serial);
  });
});
