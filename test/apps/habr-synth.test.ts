import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { HabrStack } from '../../apps/habr/stack';
import { diagramFile, outputFolder, STAGES } from '../../apps/habr/stages';
import { mermaidDiagram } from '../../lib/diff/diagram';
import { renderApp } from '../../lib/render/synthesize';
import { formatWrittenRecord, WRITTEN_RECORD } from '../../lib/output/written-record';
import { DEV_UNPINNED_IMAGE_WARNINGS, findingLines } from '../helpers';

const REPO = path.resolve(__dirname, '../..');

function render(stageName: string) {
  const app = new App();
  const stack = new HabrStack(app, STAGES[stageName]);
  return { stack, rendered: renderApp(app) };
}

describe.each(Object.keys(STAGES))('the %s stage', (stageName) => {
  const { stack, rendered } = render(stageName);

  test('passes whole-app validation with no finding but the dev stage\'s unpinned `:latest` images (built in minikube)', () => {
    expect(findingLines(rendered.report.findings)).toEqual(STAGES[stageName].requirePinnedImages ? [] : DEV_UNPINNED_IMAGE_WARNINGS);
    expect(rendered.report.errors).toBe(0);
  });

  test.each(stack.charts.map((chart) => [chart.node.id, chart] as const))('chart %s matches its snapshot', (_id, chart) => {
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('the committed manifests are what `npm run synth` writes', () => {
    const outdir = path.join(REPO, outputFolder(stageName));
    const committed = fs.readdirSync(outdir).filter((f) => /\.ya?ml$/.test(f)).sort();
    expect(committed).toEqual(rendered.files.map((f) => f.file));
    for (const file of rendered.files) {
      expect({ file: file.file, content: fs.readFileSync(path.join(outdir, file.file), 'utf8') }).toEqual(file);
    }
    expect(fs.readFileSync(path.join(outdir, WRITTEN_RECORD), 'utf8')).toBe(formatWrittenRecord(rendered.files.map((f) => f.file)));
  });

  test('synthesis is deterministic', () => {
    expect(render(stageName).rendered.files).toEqual(rendered.files);
  });
});

test("dev files are numbered in apply order, platform first, as cdk8s's own synth orders them", () => {
  const { rendered } = render('dev');
  expect(rendered.files.map((f) => f.file)).toEqual([
    '00-platform.yaml', '01-mongo.yaml', '02-redis.yaml', '03-worker.yaml', '04-backend.yaml', '05-frontend.yaml', '06-seed.yaml',
  ]);
});

test.each(Object.keys(STAGES))('docs/ holds the current architecture diagram of the %s stage', (stageName) => {
  const { rendered } = render(stageName);
  expect(fs.readFileSync(path.join(REPO, diagramFile(stageName)), 'utf8')).toBe(mermaidDiagram(rendered.objects, { title: `habr demo: ${stageName} stage` }));
});
