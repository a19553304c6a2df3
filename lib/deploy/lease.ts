/**
 * One deploy of a stage at a time: a `coordination.k8s.io/v1` Lease beside the set's parent, taken
 * with optimistic concurrency (create, or replace at the resourceVersion read) and renewed while the
 * deploy runs. A deploy killed half-way stops renewing; its Lease expires and the next deploy takes it.
 * @module
 */
import { hostname } from 'os';
import { randomBytes } from 'crypto';
import type { KubeObject } from '../manifest/types';
import { asString, field } from '../manifest/objects';
import { UserError } from '../errors';
import { ClusterApi, isConflict, isNotFound, ObjectRef } from './cluster-api';
import { ApplySetParent } from './applyset';
import type { Clock } from './clock';

/** A Lease not renewed for this long belongs to a dead deploy. */
export const LEASE_SECONDS = 30;

export interface LeaseOptions {
  readonly clock: Clock;
  /** How long to wait for another deploy of the stage to finish; 0 fails at once. */
  readonly waitSeconds: number;
  /** Told once when another deploy holds the stage. */
  readonly onWait?: (holder: string) => void;
  /** Who holds it: host, process and a random part. @default - this process */
  readonly holder?: string;
}

/** A held Lease: renew it while working, release it at the end. */
export interface HeldLease {
  readonly holder: string;
  renew(): Promise<void>;
  release(): Promise<void>;
}

/** Kubernetes MicroTime: RFC 3339 with six fraction digits. */
function microTime(milliseconds: number): string {
  return new Date(milliseconds).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function leaseRef(parent: ApplySetParent, stage: string): ObjectRef {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: `habr-k8s-deploy-${stage}`, namespace: parent.namespace };
}

function leaseObject(ref: ObjectRef, holder: string, now: number, resourceVersion?: string, acquireTime?: string): KubeObject {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: { name: ref.name, namespace: ref.namespace, ...(resourceVersion ? { resourceVersion } : {}) },
    spec: { holderIdentity: holder, leaseDurationSeconds: LEASE_SECONDS, acquireTime: acquireTime ?? microTime(now), renewTime: microTime(now) },
  };
}

/** Whether a Lease is held by someone else who renewed it recently. */
function heldByOther(lease: KubeObject, holder: string, now: number): string | undefined {
  const other = asString(field(lease, 'spec', 'holderIdentity'));
  if (!other || other === holder) return undefined;
  const renewed = Date.parse(asString(field(lease, 'spec', 'renewTime')) ?? '');
  const duration = field(lease, 'spec', 'leaseDurationSeconds');
  const seconds = typeof duration === 'number' ? duration : LEASE_SECONDS;
  return Number.isFinite(renewed) && renewed + seconds * 1000 > now ? other : undefined;
}

/** Takes the stage's Lease, waiting for another deploy up to `waitSeconds`. */
export async function acquireLease(api: ClusterApi, parent: ApplySetParent, stage: string, options: LeaseOptions): Promise<HeldLease> {
  const ref = leaseRef(parent, stage);
  const holder = options.holder ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const deadline = options.clock.now() + options.waitSeconds * 1000;
  let told = false;
  for (;;) {
    const now = options.clock.now();
    const live = await api.get(ref);
    const other = live && heldByOther(live, holder, now);
    if (!other) {
      try {
        await (live ? api.replace(leaseObject(ref, holder, now, asString(live.metadata?.resourceVersion))) : api.create(leaseObject(ref, holder, now)));
        break;
      } catch (error) {
        if (!isConflict(error)) throw error;
        continue;
      }
    }
    if (now >= deadline) {
      throw new UserError(`stage ${stage} is being deployed by ${other} (Lease ${ref.namespace}/${ref.name}); waited ${options.waitSeconds}s, run again later or raise --lock-timeout`);
    }
    if (!told) options.onWait?.(other);
    told = true;
    await options.clock.sleep(Math.min(2000, Math.max(0, deadline - now)));
  }
  let acquireTime: string | undefined;
  return {
    holder,
    async renew() {
      const live = await api.get(ref);
      if (!live || asString(field(live, 'spec', 'holderIdentity')) !== holder) {
        throw new UserError(`the Lease ${ref.namespace}/${ref.name} of stage ${stage} was taken over by ${live ? asString(field(live, 'spec', 'holderIdentity')) : 'nobody (deleted)'}; stopping`);
      }
      acquireTime ??= asString(field(live, 'spec', 'acquireTime'));
      await api.replace(leaseObject(ref, holder, options.clock.now(), asString(live.metadata?.resourceVersion), acquireTime));
    },
    async release() {
      const live = await api.get(ref).catch(() => undefined);
      if (live && asString(field(live, 'spec', 'holderIdentity')) === holder) {
        await api.delete(ref).catch((error: unknown) => {
          if (!isNotFound(error)) throw error;
        });
      }
    },
  };
}
