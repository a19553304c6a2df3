import { App } from 'cdk8s';
import { buildPlainUnits } from '../../bench/units-plain';
import { buildWebAppUnits } from '../../bench/units-webapp';
import { renderApp } from '../../lib/render/synthesize';
import { toYamlStream } from '../../lib/manifest/yaml';

/** The benchmark's floors serialize by hand exactly what our pipeline synthesizes for its units. */
describe('benchmark units', () => {
  it.each([1, 2, 50])('the hand-built objects are our output in charts of %i', (chartSize) => {
    const app = new App();
    buildWebAppUnits(app, 7, chartSize);
    const rendered = renderApp(app);
    expect(rendered.report.errors).toBe(0);
    const objects = rendered.objects.map((sourced) => sourced.object);
    expect(objects).toEqual(buildPlainUnits(7));
    expect(JSON.stringify(objects)).toBe(JSON.stringify(buildPlainUnits(7)));
    expect(rendered.manifests.map((m) => toYamlStream(m.objects)).join('---\n')).toBe(toYamlStream(buildPlainUnits(7)));
  });
});
