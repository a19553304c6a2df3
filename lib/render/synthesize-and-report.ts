import * as path from 'path';
import { App } from 'cdk8s';
import { UserError } from '../errors';
import { formatReport } from '../validation';
import { RenderedApp, SynthesisError, synthesize } from './synthesize';

/**
 * What an app's entry point does when it writes its output itself (the generated compose apps;
 * `habr-k8s synth` does the same for an entry that ends with `app.synth()`): {@link synthesize}
 * into `outdir`, then print each file and its object count, every warning once and a summary line
 * starting with `label`. On validation errors it prints every finding once and that nothing was
 * written; on a problem with the output folder (a `UserError`) one line; in both cases it
 * returns undefined, without a stack trace. Other errors are thrown.
 */
export function synthesizeAndReport(app: App, outdir: string, label: string): RenderedApp | undefined {
  try {
    const result = synthesize(app, outdir);
    for (const m of result.manifests) console.log(`${path.join(outdir, m.file)}  ${m.objects.length} objects`);
    if (result.report.warnings) console.log(formatReport(result.report));
    console.log(`${label}: ${result.objects.length} objects in ${result.files.length} files, ${result.report.warnings} warnings`);
    return result;
  } catch (error) {
    if (error instanceof SynthesisError) {
      console.error(formatReport(error.report));
      console.error(`${label}: nothing written to ${outdir}`);
      return undefined;
    }
    if (error instanceof UserError) {
      console.error(`${label}: ${error.message.split('\n')[0]}`);
      return undefined;
    }
    throw error;
  }
}
