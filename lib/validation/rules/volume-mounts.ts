import { asArray, asRecord, asString, field } from '../../manifest/objects';
import { finding, ObjectIndex, IndexedPodTemplate, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';

function claimTemplateNames(template: IndexedPodTemplate): string[] {
  if (template.owner.kind !== 'StatefulSet') return [];
  return asArray(field(template.owner.object, 'spec', 'volumeClaimTemplates'))
    .map((claim) => asString(field(claim, 'metadata', 'name')))
    .filter((name): name is string => name !== undefined);
}

function checkTemplate(template: IndexedPodTemplate): Finding[] {
  const volumeNames = asArray(template.spec.volumes).map((volume) => asString(asRecord(volume)?.name));
  const claimNames = claimTemplateNames(template);
  const known = new Set([...volumeNames, ...claimNames].filter((name): name is string => name !== undefined));
  const available = [...known].join(', ') || 'none';
  const findings: Finding[] = [];

  const seenVolumes = new Set<string>();
  volumeNames.forEach((name, i) => {
    if (name === undefined) return;
    if (seenVolumes.has(name)) {
      findings.push(finding(volumeMounts, template.owner, `${template.specPath}.volumes[${i}].name`,
        `volume name "${name}" is used twice in ${template.specPath}.volumes; the API server rejects duplicate volume names. Rename one of them.`));
    }
    seenVolumes.add(name);
  });

  for (const { container, path } of template.containers) {
    const mountPaths = new Map<string, number>();
    asArray(container.volumeMounts).forEach((raw, i) => {
      const mount = asRecord(raw) ?? {};
      const name = asString(mount.name);
      const mountPath = asString(mount.mountPath);
      if (name !== undefined && !known.has(name)) {
        findings.push(finding(volumeMounts, template.owner, `${path}.volumeMounts[${i}].name`,
          `volumeMounts[${i}] of container ${String(container.name)} mounts volume "${name}", which is neither in ${template.specPath}.volumes`
          + `${template.owner.kind === 'StatefulSet' ? ' nor in spec.volumeClaimTemplates' : ''} (available: ${available}); the API server rejects it. Add the volume or fix the name.`));
      }
      if (mountPath === undefined) return;
      const first = mountPaths.get(mountPath);
      if (first !== undefined) {
        findings.push(finding(volumeMounts, template.owner, `${path}.volumeMounts[${i}].mountPath`,
          `mountPath ${mountPath} of container ${String(container.name)} is already used by volumeMounts[${first}]; the API server rejects duplicate mount paths. Mount the second volume elsewhere (or use subPath with distinct paths).`));
      } else {
        mountPaths.set(mountPath, i);
      }
    });
  }
  return findings;
}

export const volumeMounts: Rule = {
  id: 'volume-mounts',
  summary: 'Every volumeMount names a volume of the pod (or a StatefulSet volumeClaimTemplate); mount paths and volume names are unique.',
  breaks: 'kubectl apply fails: the API server rejects mounts of unknown volumes and duplicated mount paths.',
  apiServer: 'rejects',
  check: (index: ObjectIndex) => findingsOf(index.podTemplates, checkTemplate),
};
