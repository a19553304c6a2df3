// Validates a folder of Kubernetes manifests: node scripts/run.js scripts/validate.ts <folder> [--external Kind/name ...]
import { runValidateCli } from '../lib/validation/cli';

const result = runValidateCli(process.argv.slice(2));
(result.exitCode === 2 ? console.error : console.log)(result.output);
process.exitCode = result.exitCode;
