/**
 * `npm run synth:helm`: writes the habr stack as a Helm chart to dist/helm/habr (templates,
 * Chart.yaml, values.yaml, values-dev.yaml, values.schema.json), validating both stages first,
 * in one crash-safe commit with the same lock and journal as `npm run synth`.
 */
import * as path from 'path';
import { CHART_FOLDER, habrChart } from '../apps/habr/helm-chart';
import { PROJECT_ROOT, WORK_DIR } from '../apps/habr/project';
import { runCommand } from '../lib/cli/command';
import { SynthesisError } from '../lib/render/synthesize';
import { commitOutput, recoverOutput } from '../lib/output/write';
import { formatReport } from '../lib/validation';

function main(): void {
  process.chdir(PROJECT_ROOT);
  recoverOutput(WORK_DIR);
  let chart;
  try {
    chart = habrChart();
  } catch (error) {
    if (!(error instanceof SynthesisError)) throw error;
    console.error(formatReport(error.report));
    console.error(`synth:helm: nothing written to ${CHART_FOLDER}`);
    process.exitCode = 1;
    return;
  }
  const commit = commitOutput(
    { folder: chart.templatesFolder, files: chart.templates, documents: chart.documents },
    { workDir: WORK_DIR, onWait: (pid) => console.error(`synth:helm: waiting for another synth (pid ${pid}) to finish writing`) },
  );
  for (const t of chart.templates) console.log(path.join(chart.templatesFolder, t.file));
  for (const d of chart.documents) console.log(d.file);
  console.log(`chart ${CHART_FOLDER}: ${chart.templates.length} templates${commit.changed ? '' : ', unchanged'}`);
}

runCommand('synth:helm', main, { root: PROJECT_ROOT });
