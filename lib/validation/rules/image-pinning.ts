import { ContainerRef, finding, findingsOf, IndexedPodTemplate, NO_FINDINGS, ObjectIndex, Rule } from '../rule';
import { Finding } from '../../manifest/types';
import { unpinnedReason } from '../../manifest/image-reference';

function checkContainer(template: IndexedPodTemplate, ref: ContainerRef): readonly Finding[] {
  const image = ref.container.image;
  if (typeof image !== 'string' || image === '') return NO_FINDINGS;
  const unpinned = unpinnedReason(image);
  if (unpinned === undefined) return NO_FINDINGS;
  const runs = ref.container.imagePullPolicy === 'Never'
    ? 'each node runs whatever image it holds under that name, which the next build replaces'
    : 'each pull may run another version (a new node, a restarted pod)';
  return [finding(imagePinning, template.owner, `${ref.path}.image`,
    `image "${image}" of container ${String(ref.container.name)} ${unpinned}: ${runs}, `
    + 'and a rollback does not bring the old one back. Pin a tag (e.g. ":1.4.2") or a digest ("@sha256:…").',
    { severity: 'warning' })];
}

export const imagePinning: Rule = {
  id: 'image-pinning',
  summary: 'Container images are pinned: a digest, or a tag other than `latest` (a warning; stages with `requirePinnedImages` refuse them).',
  breaks: 'Pods on different nodes, or restarted later, run different versions of the image; a rollback keeps the new one.',
  apiServer: 'accepts',
  check: (index: ObjectIndex) => findingsOf(index.podTemplates, (template) => findingsOf(template.containers, (ref) => checkContainer(template, ref))),
};
