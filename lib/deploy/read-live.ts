/**
 * Reads the live state of many objects with few requests: the objects of a kind in one namespace
 * by one list when there are many of them, the others one get each. The plan reads the live side
 * of its diff this way, the wait each look at what it awaits.
 * @module
 */
import type { KubeObject } from '../manifest/types';
import { asString } from '../manifest/objects';
import { ClusterApi, ObjectRef } from './cluster-api';
import { mapBounded } from './parallel';

/** A kind in a namespace with at least this many objects is read with one list instead of one get each. */
export const LIST_FROM = 10;

/** One object's live state: the object, `undefined` when it does not exist, or the error that kept it from being read. */
export type LiveRead = KubeObject | undefined | Error;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The live state of each of `refs`, in their order. */
export async function readLive(api: ClusterApi, refs: readonly ObjectRef[], concurrency: number): Promise<LiveRead[]> {
  const groups = new Map<string, number[]>();
  refs.forEach((ref, index) => {
    const key = JSON.stringify([ref.apiVersion, ref.kind, ref.namespace ?? '']);
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  const reads: LiveRead[] = new Array(refs.length);
  const tasks = [...groups.values()].flatMap((indexes): Array<() => Promise<void>> => {
    if (indexes.length < LIST_FROM) {
      return indexes.map((index) => async () => {
        reads[index] = await api.get(refs[index]).catch(asError);
      });
    }
    return [async () => {
      const { apiVersion, kind, namespace } = refs[indexes[0]];
      try {
        const byName = new Map((await api.list(apiVersion, kind, namespace)).map((object) => [asString(object.metadata?.name), object]));
        for (const index of indexes) reads[index] = byName.get(refs[index].name);
      } catch (error) {
        for (const index of indexes) reads[index] = asError(error);
      }
    }];
  });
  await mapBounded(tasks, concurrency, (task) => task());
  return reads;
}
