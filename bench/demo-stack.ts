/** The habr demo's dev stage, for the benchmark's in-process scenario. */
import { App } from 'cdk8s';
import { HabrStack } from '../apps/habr/stack';
import { DEV } from '../apps/habr/stages';

export function addDemoStack(app: App): void {
  new HabrStack(app, DEV);
}
