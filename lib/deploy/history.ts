/**
 * The revisions of a stage, kept in the cluster beside the set's parent: one Secret per successful
 * deploy, holding the applied manifests (gzip-compressed JSON) and their output files, the oldest
 * deleted beyond a bound. `rollback` deploys one of them again.
 * @module
 */
import { gunzipSync, gzipSync } from 'zlib';
import type { KubeObject, SourcedObject } from '../manifest/types';
import { asRecord, asString, field, isRecord, stringMap } from '../manifest/objects';
import { UserError } from '../errors';
import { ClusterApi } from './cluster-api';
import { ApplySetParent } from './applyset';

export const STAGE_LABEL = 'habr-k8s.io/stage';
export const REVISION_LABEL = 'habr-k8s.io/revision';
const REVISION_TYPE = 'habr-k8s.io/revision';
const DEPLOYED_AT = 'habr-k8s.io/deployed-at';
const DESCRIPTION = 'habr-k8s.io/description';
const MANIFESTS_KEY = 'manifests.json.gz';

/** How many revisions a stage keeps by default. */
export const DEFAULT_KEPT_REVISIONS = 10;

export interface Revision {
  readonly number: number;
  /** ISO time of the deploy. */
  readonly deployedAt: string;
  /** What was deployed: the output folder, or `rollback to N`. */
  readonly description: string;
  readonly objectCount: number;
}

function revisionName(parent: ApplySetParent, number: number): string {
  return `${parent.name}-r${number}`;
}

function selector(stage: string): string {
  return `${STAGE_LABEL}=${stage}`;
}

function revisionOf(secret: KubeObject): Revision | undefined {
  const labels = stringMap(secret.metadata?.labels);
  const annotations = stringMap(secret.metadata?.annotations);
  const number = Number(labels[REVISION_LABEL]);
  if (!Number.isInteger(number) || number < 1) return undefined;
  return {
    number,
    deployedAt: annotations[DEPLOYED_AT] ?? '',
    description: annotations[DESCRIPTION] ?? '',
    objectCount: Number(annotations['habr-k8s.io/objects'] ?? 0),
  };
}

async function revisionSecrets(api: ClusterApi, parent: ApplySetParent, stage: string): Promise<Array<{ secret: KubeObject; revision: Revision }>> {
  const secrets = await api.list('v1', 'Secret', parent.namespace, selector(stage));
  return secrets
    .flatMap((secret) => {
      const revision = revisionOf(secret);
      return revision ? [{ secret, revision }] : [];
    })
    .sort((a, b) => a.revision.number - b.revision.number);
}

/** The stage's revisions, oldest first. */
export async function listRevisions(api: ClusterApi, parent: ApplySetParent, stage: string): Promise<Revision[]> {
  return (await revisionSecrets(api, parent, stage)).map(({ revision }) => revision);
}

/** The next revision of a stage, prepared while the deploy's last steps run: recorded only after they worked. */
export interface PendingRevision {
  /** Whether the objects are exactly what the latest revision recorded (nothing to record). */
  readonly unchanged: boolean;
  /** Records the objects as the next revision, unless unchanged, and deletes the oldest beyond `keep`. */
  record(details: { readonly description: string; readonly deployedAt: string; readonly keep?: number }): Promise<Revision | undefined>;
}

/** Reads the stage's revisions once and compresses `objects`: what recording them takes besides the writes. */
export async function prepareRevision(api: ClusterApi, parent: ApplySetParent, stage: string, objects: readonly SourcedObject[]): Promise<PendingRevision> {
  const existing = await revisionSecrets(api, parent, stage);
  const shape = (items: readonly SourcedObject[]) => JSON.stringify(items.map(({ object, source }) => ({ source, object })));
  const json = shape(objects);
  const latest = existing.at(-1);
  const unchanged = latest !== undefined && shape(decodeRevision(latest.secret, latest.revision.number, stage)) === json;
  return {
    unchanged,
    async record(details) {
      if (unchanged) return undefined;
      const number = (latest?.revision.number ?? 0) + 1;
      await api.create({
        apiVersion: 'v1',
        kind: 'Secret',
        type: REVISION_TYPE,
        metadata: {
          name: revisionName(parent, number),
          namespace: parent.namespace,
          labels: { [STAGE_LABEL]: stage, [REVISION_LABEL]: String(number) },
          annotations: { [DEPLOYED_AT]: details.deployedAt, [DESCRIPTION]: details.description, 'habr-k8s.io/objects': String(objects.length) },
        },
        data: { [MANIFESTS_KEY]: gzipSync(json).toString('base64') },
      });
      const keep = details.keep ?? DEFAULT_KEPT_REVISIONS;
      const old = existing.slice(0, Math.max(0, existing.length + 1 - keep));
      await Promise.all(old.map(({ secret }) => api.delete({ apiVersion: 'v1', kind: 'Secret', name: asString(secret.metadata?.name) ?? '', namespace: parent.namespace })));
      return { number, deployedAt: details.deployedAt, description: details.description, objectCount: objects.length };
    },
  };
}

/** The objects a revision Secret holds, in their recorded order. */
function decodeRevision(secret: KubeObject, number: number, stage: string): SourcedObject[] {
  const data = asString(field(secret, 'data', MANIFESTS_KEY));
  if (!data) throw new UserError(`revision ${number} of stage ${stage} (Secret ${asString(secret.metadata?.name)}) has no ${MANIFESTS_KEY}`);
  const entries: unknown = JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8'));
  return (Array.isArray(entries) ? entries : []).flatMap((entry, order): SourcedObject[] => {
    const object = asRecord(entry)?.object;
    return isRecord(object) ? [{ object: object as unknown as KubeObject, source: asString(asRecord(entry)?.source) ?? `revision-${number}`, order }] : [];
  });
}

/** The objects of revision `number` (the one before the latest when absent), in their recorded order. */
export async function readRevision(api: ClusterApi, parent: ApplySetParent, stage: string, number?: number): Promise<{ revision: Revision; objects: SourcedObject[] }> {
  const revisions = await revisionSecrets(api, parent, stage);
  if (revisions.length === 0) throw new UserError(`stage ${stage} has no recorded revision in namespace ${parent.namespace}: deploy it first`);
  const wanted = number ?? revisions.at(-2)?.revision.number;
  if (wanted === undefined) throw new UserError(`stage ${stage} has one revision (${revisions[0].revision.number}): there is none before it to roll back to`);
  const found = revisions.find(({ revision }) => revision.number === wanted);
  if (!found) throw new UserError(`stage ${stage} has no revision ${wanted}; kept: ${revisions.map(({ revision }) => revision.number).join(', ')}`);
  return { revision: found.revision, objects: decodeRevision(found.secret, wanted, stage) };
}
