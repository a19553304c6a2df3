// Validates a folder of Kubernetes manifests: node scripts/run.js scripts/validate.ts <folder> [--external Kind/name ...] [--server ...]
import { WORK_DIR } from '../apps/habr/project';
import { runCommand } from '../lib/cli/command';
import { recoverOutput } from '../lib/output/write';
import { runValidateCli } from '../lib/cli/validate';

let recovered = false;
runCommand('validate', () => {
  // A synth interrupted by a crash is finished first, so dist/ is never validated half-swapped.
  recoverOutput(WORK_DIR);
  recovered = true;
});
if (recovered) {
  void runValidateCli(process.argv.slice(2)).then((result) => {
    (result.exitCode === 2 ? console.error : console.log)(result.output);
    process.exitCode = result.exitCode;
  });
}
