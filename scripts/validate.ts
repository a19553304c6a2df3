// Validates a folder of Kubernetes manifests: node scripts/run.js scripts/validate.ts <folder> [--external Kind/name ...] [--server ...]
import { runValidateCli } from '../lib/validation/cli';

void runValidateCli(process.argv.slice(2)).then((result) => {
  (result.exitCode === 2 ? console.error : console.log)(result.output);
  process.exitCode = result.exitCode;
});
