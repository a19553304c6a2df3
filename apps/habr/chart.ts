/**
 * The entry of the habr chart: `habr-k8s helm --app apps/habr/chart.ts --stage prod --stage dev
 * --output dist/helm/habr` (`npm run synth:helm`) builds the stage STAGE (default prod) with its
 * values declared, once as it is and once with placeholders for the templates.
 */
import { habrChartApp } from './helm-chart';
import { stageNamed } from './stages';

habrChartApp(stageNamed(process.env.STAGE || 'prod')).synth();
