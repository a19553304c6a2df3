/**
 * Preloaded (`node --require`) into every process a benchmark run starts, including the node
 * processes behind `npm run`: at exit, appends the process's peak RSS to $BENCH_USAGE_FILE.
 */
import { appendFileSync } from 'fs';

const usageFile = process.env.BENCH_USAGE_FILE;
if (usageFile) {
  process.on('exit', () => {
    appendFileSync(usageFile, JSON.stringify({ pid: process.pid, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
  });
}
