/**
 * What `habr-k8s validate` reports on the benchmark's two folders, byte for byte: the public-style
 * corpus (many small files, read by one thread) in full, and the 10,002 objects of our synth output
 * (read by two threads) by its hash and counts. The snapshots were checked equal to the reports of
 * main before the parallel reader and the code cache (commit f696c4e); a change to them is a change
 * to what validate reports.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writePublicCorpus } from '../../bench/public-corpus';
import { writeValidateFolder } from '../../bench/validate-folder';
import { runValidateCli } from '../../lib/cli/validate';
import { readManifestFolder } from '../../lib/manifest/load';
import { PARALLEL_READ_MIN_BYTES } from '../../lib/manifest/parallel-read';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-folders-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function bytesOf(folder: string): number {
  return fs.readdirSync(folder, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())
    .reduce((total, entry) => total + fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size, 0);
}

describe('validate on the benchmark folders', () => {
  it('reports the same on the public-style corpus of 200 examples', async () => {
    const corpus = path.join(root, 'corpus');
    writePublicCorpus(corpus, 200);
    expect(bytesOf(corpus)).toBeLessThan(PARALLEL_READ_MIN_BYTES);
    const result = await runValidateCli([corpus]);
    expect(result.exitCode).toBe(1);
    expect(result.output).toMatchSnapshot();
  });

  it('reports the same on the 10,002 objects of our synth output, read by two threads', async () => {
    const folder = path.join(root, 'synth');
    writeValidateFolder(folder);
    expect(bytesOf(folder)).toBeGreaterThan(PARALLEL_READ_MIN_BYTES);
    const result = await runValidateCli([folder]);
    const lines = result.output.split('\n');
    expect(readManifestFolder(folder).objects).toHaveLength(10_002);
    expect({
      exitCode: result.exitCode,
      lines: lines.length,
      summary: lines[lines.length - 1],
      sha256: crypto.createHash('sha256').update(result.output).digest('hex'),
    }).toMatchSnapshot();
  });
});
