import * as path from 'path';
import { App } from 'cdk8s';
import { formatReport } from '../validation';
import { RenderedApp, SynthesisError, synthesize } from './synthesize';

/**
 * What an app's entry point does: {@link synthesize} into `outdir`, then print each file and its
 * object count, the warnings and a summary line starting with `label`. On validation errors it
 * prints the report and that nothing was written, and returns undefined.
 */
export function synthesizeAndReport(app: App, outdir: string, label: string): RenderedApp | undefined {
  try {
    const result = synthesize(app, outdir);
    for (const m of result.manifests) console.log(`${path.join(outdir, m.file)}  ${m.objects.length} objects`);
    if (result.report.warnings) console.log(formatReport(result.report));
    console.log(`${label}: ${result.objects.length} objects in ${result.files.length} files, ${result.report.warnings} warnings`);
    return result;
  } catch (error) {
    if (!(error instanceof SynthesisError)) throw error;
    console.error(formatReport(error.report));
    console.error(`${label}: nothing written to ${outdir}`);
    return undefined;
  }
}
