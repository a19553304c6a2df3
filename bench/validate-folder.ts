/** The benchmark's large folder for `validate`: our synth output of {@link VALIDATE_UNITS} web apps (3 objects each), in charts of 50. */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { renderApp } from '../lib/render/synthesize';
import { VALIDATE_UNITS } from './scenarios';
import { buildWebAppUnits } from './units-webapp';

/** Writes the folder afresh at `folder`. */
export function writeValidateFolder(folder: string): void {
  const app = new App();
  buildWebAppUnits(app, VALIDATE_UNITS, 50);
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  for (const file of renderApp(app).files) fs.writeFileSync(path.join(folder, file.file), file.content);
}
