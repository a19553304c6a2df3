// Builds a stage for `habr-k8s synth --app <this folder>/main.ts`, which validates it and writes dist-compose-example/<stage>/.
// Written once by `habr-k8s import compose` from docker-compose.yml; the code is yours now.

import * as path from 'path';
import { App } from 'cdk8s';
import { ComposeExampleStack } from './stack';
import { STAGES } from './stages';

const stageName = process.env.STAGE || 'dev';
const stage = STAGES[stageName];
if (!stage) throw new Error(`unknown stage ${JSON.stringify(stageName)}: use one of ${Object.keys(STAGES).join(', ')}`);
// OUTDIR overrides the folder, e.g. for a temporary synth.
const outdir = process.env.OUTDIR || path.join('dist-compose-example', stage.name);
const app = new App({ outdir });
new ComposeExampleStack(app, stage);
app.synth();
