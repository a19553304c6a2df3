import * as path from 'path';
import { App } from 'cdk8s';
import * as fs from 'fs';
import { embedBetweenMarkers, mermaidBlock, mermaidDiagram } from '../../lib/synth/diagram';
import { SynthesisError, synthesize } from '../../lib/synth/synthesize';
import { formatReport } from '../../lib/validation';
import { writeOutputFiles } from '../../lib/synth/write';
import { HabrStack } from './stack';
import { diagramFile, outputFolder, stageNamed } from './stages';

function main(): void {
  const stage = stageNamed(process.env.STAGE ?? 'dev');
  const outdir = outputFolder(stage.name);
  const app = new App({ outdir });
  new HabrStack(app, stage);
  try {
    const result = synthesize(app, outdir);
    const diagram = mermaidDiagram(result.objects, { title: `habr demo: ${stage.name} stage` });
    const diagramPath = diagramFile(stage.name);
    writeOutputFiles(path.dirname(diagramPath), [{ file: path.basename(diagramPath), content: diagram }]);
    if (stage.name === 'dev') {
      const readme = fs.readFileSync('README.md', 'utf8');
      const updated = embedBetweenMarkers(readme, 'architecture', mermaidBlock(result.objects));
      if (updated !== readme) fs.writeFileSync('README.md', updated);
    }
    for (const m of result.manifests) console.log(`${path.join(outdir, m.file)}  ${m.objects.length} objects`);
    if (result.report.warnings) console.log(formatReport(result.report));
    console.log(`stage ${stage.name}: ${result.objects.length} objects in ${result.files.length} files, ${result.report.warnings} warnings`);
  } catch (error) {
    if (!(error instanceof SynthesisError)) throw error;
    console.error(formatReport(error.report));
    console.error(`stage ${stage.name}: nothing written to ${outdir}`);
    process.exitCode = 1;
  }
}

main();
