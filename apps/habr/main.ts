/**
 * The habr demo's entry, a plain cdk8s entry: `habr-k8s synth` (npm run synth) validates and
 * writes it, `cdk8s synth` writes it without our checks. The stage comes from STAGE (default dev;
 * `habr-k8s synth --stage prod` sets it); dev is written to the output folder (CDK8S_OUTDIR, as the
 * cdk8s CLI and our bin set it; dist), other stages to a subfolder named after them.
 */
import { App } from 'cdk8s';
import { mermaidDiagram } from '../../lib/diff/diagram';
import { addOutputDocuments } from '../../lib/render/output-documents';
import type { RenderedApp } from '../../lib/render/synthesize';
import { OutputDocument } from '../../lib/output/write';
import { HabrStack } from './stack';
import { diagramFile, outputFolder, StageConfig, stageNamed } from './stages';

/** The stage's diagram (docs/architecture*.md): committed together with the manifests. */
function documentsOf(stage: StageConfig, rendered: RenderedApp): OutputDocument[] {
  return [{ file: diagramFile(stage.name), content: mermaidDiagram(rendered.objects, { title: `habr demo: ${stage.name} stage` }) }];
}

const stage = stageNamed(process.env.STAGE || 'dev');
const app = new App({ outdir: outputFolder(stage.name, process.env.CDK8S_OUTDIR || 'dist') });
new HabrStack(app, stage);
// The diagram goes into the same commit as the manifests when habr-k8s synth writes them.
addOutputDocuments(app, (rendered: RenderedApp) => documentsOf(stage, rendered));
app.synth();
