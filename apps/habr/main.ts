import { App } from 'cdk8s';
import * as path from 'path';
import { runCommand, UserError } from '../../lib/cli/command';
import { embedBetweenMarkers, mermaidBlock, mermaidDiagram } from '../../lib/diff/diagram';
import { RenderedApp, SynthesisError, SynthesizedApp, synthesize } from '../../lib/render/synthesize';
import { OutputDocument, recoverOutput } from '../../lib/output/write';
import { formatReport } from '../../lib/validation';
import { PROJECT_ROOT, WORK_DIR } from './project';
import { HabrStack } from './stack';
import { diagramFile, outputFolder, StageConfig, stageNamed } from './stages';

/** The stage's diagram, and for dev the README's diagram section: committed together with the manifests. */
function documentsOf(stage: StageConfig, rendered: RenderedApp): OutputDocument[] {
  const documents: OutputDocument[] = [
    { file: diagramFile(stage.name), content: mermaidDiagram(rendered.objects, { title: `habr demo: ${stage.name} stage` }) },
  ];
  if (stage.name === 'dev') {
    documents.push({
      file: 'README.md',
      content: (readme) => {
        try {
          return embedBetweenMarkers(readme ?? '', 'architecture', mermaidBlock(rendered.objects));
        } catch (error) {
          throw new UserError(`README.md: ${(error as Error).message}; put the markers back around the diagram section`);
        }
      },
    });
  }
  return documents;
}

function main(): void {
  // Every path below is relative to the checkout, whatever folder synth is started from.
  process.chdir(PROJECT_ROOT);
  recoverOutput(WORK_DIR);
  const stage = stageNamed(process.env.STAGE || 'dev');
  const outdir = outputFolder(stage.name);
  const app = new App({ outdir });
  new HabrStack(app, stage);
  let result: SynthesizedApp;
  try {
    result = synthesize(app, outdir, {
      workDir: WORK_DIR,
      documents: (rendered) => documentsOf(stage, rendered),
      onWait: (pid) => console.error(`synth: waiting for another synth (pid ${pid}) to finish writing`),
    });
  } catch (error) {
    if (!(error instanceof SynthesisError)) throw error;
    console.error(formatReport(error.report));
    console.error(`stage ${stage.name}: nothing written to ${outdir}`);
    process.exitCode = 1;
    return;
  }
  for (const m of result.manifests) console.log(`${path.join(outdir, m.file)}  ${m.objects.length} objects`);
  for (const file of result.commit.foreignManifests) console.log(`${file}  kept: not written by synth, yet kubectl apply -f ${outdir} reads it`);
  if (result.report.warnings) console.log(formatReport(result.report));
  console.log(`stage ${stage.name}: ${result.objects.length} objects in ${result.files.length} files, ${result.report.warnings} warnings`);
}

runCommand('synth', main, { root: PROJECT_ROOT });
