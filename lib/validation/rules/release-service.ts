import { asRecord, finding, IndexedObject, ObjectIndex, IndexedPodTemplate, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { RELEASE_MIXED_VERSIONS_ANNOTATION, RELEASE_VERSION_LABEL } from '../../manifest/release-labels';
import { describeLabelMap } from '../selectors';

const APP_LABEL = 'app.kubernetes.io/name';

/** The released versions a Service selects, by app: pod templates of Deployments that carry the version label. */
function versionsByApp(templates: readonly IndexedPodTemplate[]): Map<string, Map<string, string[]>> {
  const apps = new Map<string, Map<string, string[]>>();
  for (const template of templates) {
    const version = template.labels[RELEASE_VERSION_LABEL];
    if (template.owner.kind !== 'Deployment' || typeof version !== 'string') continue;
    const app = String(template.labels[APP_LABEL] ?? '');
    const versions = apps.get(app) ?? new Map<string, string[]>();
    versions.set(version, [...(versions.get(version) ?? []), template.owner.name]);
    apps.set(app, versions);
  }
  return apps;
}

function checkService(index: ObjectIndex, service: IndexedObject): Finding[] {
  if (service.object.metadata?.annotations?.[RELEASE_MIXED_VERSIONS_ANNOTATION] === 'true') return [];
  const selected = index.podTemplatesSelectedBy(service);
  if (!selected) return [];
  const selector = asRecord(asRecord(service.object.spec)?.selector) ?? {};
  const findings: Finding[] = [];
  for (const [app, versions] of versionsByApp(selected)) {
    if (versions.size < 2) continue;
    const listed = [...versions].map(([version, owners]) => `${version} (Deployment ${owners.join(', ')})`).join(', ');
    findings.push(finding(releaseServiceSelector, service, 'spec.selector',
      `spec.selector (${describeLabelMap(selector)}) matches the pods of ${versions.size} versions of app ${app || '(no app.kubernetes.io/name)'}: ${listed}; `
      + `the API server accepts it, but the Service sends requests to every version at once, so a blue/green switch never happens. `
      + `Add ${RELEASE_VERSION_LABEL}=<the active version> to spec.selector; a Service that mixes versions on purpose (a canary by replica ratio) says so with the annotation ${RELEASE_MIXED_VERSIONS_ANNOTATION}: "true".`));
  }
  return findings;
}

export const releaseServiceSelector: Rule = {
  id: 'release-service-selector',
  summary: `A Service selects the pods of one version of a released app (Deployments labelled ${RELEASE_VERSION_LABEL}), unless annotated ${RELEASE_MIXED_VERSIONS_ANNOTATION}: "true".`,
  breaks: 'Requests go to the old and the new version at once: the switch of a blue/green release does not take effect.',
  apiServer: 'accepts',
  check: (index) => findingsOf(index.byKind('Service'), (service) => checkService(index, service)),
};
