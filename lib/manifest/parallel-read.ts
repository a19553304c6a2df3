/**
 * Reads manifest files on two cores when they are many (see {@link parallelFileReader}): this thread
 * and one worker thread take the next unread file
 * from a shared counter until none is left, so neither waits for the other and a worker that starts
 * late (or never) only leaves more files to this thread. The worker posts what each file holds as
 * soon as it is read; the results come back in file order, as {@link readManifestFile} gives them.
 * This module is also the worker's: {@link serveManifestReads} is its loop.
 */
import * as fs from 'fs';
import type * as workerThreads from 'worker_threads';
import { FileContents, ManifestFile, readManifestFile } from './load';

/**
 * Below this many bytes of manifests, one thread reads them all: starting a worker and loading the
 * reader in it costs more than it saves (bench: `npm run bench -- --section=validate`, phases).
 */
export const PARALLEL_READ_MIN_BYTES = 1 << 20;

/**
 * A worker stalled this long on one file (killed, out of memory) is given up on and the file read
 * here. Only a safeguard against waiting forever: a worker that answers late changes nothing.
 */
export const STALLED_WORKER_MS = 30_000;

/** What the worker is handed: the files, the shared counters and the port it posts results to. */
export interface ReadWorkerData {
  readonly files: readonly ManifestFile[];
  /** Int32 [next file to claim, results posted]. */
  readonly counters: SharedArrayBuffer;
  readonly port: workerThreads.MessagePort;
}

/** One file read by the worker, or the message of what it threw (this thread reads that file again, and throws as it would). */
type WorkerResult = { readonly index: number; readonly contents: FileContents } | { readonly index: number; readonly failed: string };

const NEXT = 0;
const POSTED = 1;

/** Starts a worker thread that loads this module and calls {@link serveManifestReads} with `data` (how depends on how the program runs: the CLI knows). */
export type ReadWorkerStarter = (data: ReadWorkerData, transferList: workerThreads.MessagePort[]) => workerThreads.Worker;

/** The worker's loop: claims files until none is left, posting what each holds. */
export function serveManifestReads({ files, counters, port }: ReadWorkerData): void {
  const shared = new Int32Array(counters);
  for (let index = Atomics.add(shared, NEXT, 1); index < files.length; index = Atomics.add(shared, NEXT, 1)) {
    let result: WorkerResult;
    try {
      result = { index, contents: readManifestFile(files[index]) };
    } catch (error) {
      result = { index, failed: (error as Error).message };
    }
    port.postMessage(result);
    Atomics.add(shared, POSTED, 1);
    Atomics.notify(shared, POSTED);
  }
  port.close();
}

/** Whether `files` would hold at least `minBytes`, `known` bytes being in the first `count` of them (the rest at their average size). */
function holdAtLeast(files: readonly ManifestFile[], known: number, count: number, minBytes: number): boolean {
  return known >= minBytes || known * files.length >= minBytes * count;
}

/** The size of a file to read, 0 when it cannot be read (its reading will say why). */
function sizeOf({ file, text }: ManifestFile): number {
  return text !== undefined ? Buffer.byteLength(text) : fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

/**
 * A reader for {@link LoadOptions.readFiles}: files that hold `minBytes` or more are read by this
 * thread and a worker started with `startWorker` together, fewer by this thread alone. Their size
 * is told as they are read, from the first one on (all of them as large as the first, then as
 * those read so far): no file is looked at twice to learn the size of the whole. A folder whose
 * first file tells it is large starts with two threads; one that turns out large while this thread
 * reads it goes on with two from there. `smallInput`, when given, is called when the files look
 * small and returns what ends that, which is called if they turn out large (the CLI lowers V8's
 * tiers meanwhile: lib/cli/v8-tiers.ts).
 */
export function parallelFileReader(
  startWorker: ReadWorkerStarter,
  minBytes = PARALLEL_READ_MIN_BYTES,
  stalledWorkerMs = STALLED_WORKER_MS,
  smallInput?: () => () => void,
): (files: readonly ManifestFile[]) => FileContents[] {
  return (files) => {
    const results: FileContents[] = [];
    if (files.length > 0 && !holdAtLeast(files, sizeOf(files[0]), 1, minBytes)) {
      const endSmallInput = smallInput?.();
      let bytes = 0;
      while (results.length < files.length && (results.length === 0 || !holdAtLeast(files, bytes, results.length, minBytes))) {
        const contents = readManifestFile(files[results.length]);
        bytes += contents.bytes;
        results.push(contents);
      }
      if (results.length === files.length) return results;
      endSmallInput?.();
    }
    const rest = files.slice(results.length);
    return results.concat(rest.length > 1 ? readInParallel(rest, startWorker, stalledWorkerMs) : rest.map(readManifestFile));
  };
}

function readInParallel(files: readonly ManifestFile[], startWorker: ReadWorkerStarter, stalledWorkerMs: number): FileContents[] {
  const counters = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const shared = new Int32Array(counters);
  // Loaded here: a small input never starts a worker, and worker_threads costs about 3 ms to load.
  const { MessageChannel, receiveMessageOnPort } = require('worker_threads') as typeof workerThreads;
  const { port1, port2 } = new MessageChannel();
  const worker = startWorker({ files, counters, port: port2 }, [port2]);
  // A worker that fails to start or load leaves its files to this thread; the process never waits for it.
  worker.on('error', () => undefined);
  worker.unref();
  const results: (FileContents | undefined)[] = new Array(files.length);
  let readHere = 0;
  for (let index = Atomics.add(shared, NEXT, 1); index < files.length; index = Atomics.add(shared, NEXT, 1)) {
    results[index] = readManifestFile(files[index]);
    readHere += 1;
  }
  let received = 0;
  while (received < files.length - readHere) {
    const message = receiveMessageOnPort(port1)?.message as WorkerResult | undefined;
    if (message) {
      received += 1;
      results[message.index] = 'contents' in message ? message.contents : readManifestFile(files[message.index]);
      continue;
    }
    const posted = Atomics.load(shared, POSTED);
    if (posted > received) continue;
    if (Atomics.wait(shared, POSTED, posted, stalledWorkerMs) === 'timed-out') break;
  }
  // The worker ends by itself: its next claim is past the last file.
  port1.close();
  return results.map((contents, index) => contents ?? readManifestFile(files[index]));
}
