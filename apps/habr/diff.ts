/**
 * `npm run diff`: what a fresh synth of the stage (STAGE, default dev) would change in the
 * committed manifests, object by object and field by field. Writes nothing.
 */
import { App } from 'cdk8s';
import { runCommand } from '../../lib/cli/command';
import { diffManifests, formatDiff } from '../../lib/diff/diff';
import { loadManifestFolder } from '../../lib/manifest/load';
import { renderObjects } from '../../lib/render/synthesize';
import { recoverOutput } from '../../lib/output/write';
import { PROJECT_ROOT, WORK_DIR } from './project';
import { HabrStack } from './stack';
import { outputFolder, stageNamed } from './stages';

runCommand('diff', () => {
  process.chdir(PROJECT_ROOT);
  recoverOutput(WORK_DIR);
  const stage = stageNamed(process.env.STAGE || 'dev');
  const app = new App();
  new HabrStack(app, stage);
  const rendered = renderObjects(app);
  const committedFolder = outputFolder(stage.name);
  console.log(`stage ${stage.name}: ${committedFolder}/ (committed) → fresh synth`);
  process.stdout.write(formatDiff(diffManifests(loadManifestFolder(committedFolder, undefined, { recursive: false }), rendered.objects)));
}, { root: PROJECT_ROOT });
