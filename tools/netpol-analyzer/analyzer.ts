/**
 * np-guard's netpol-analyzer (`k8snetpolicy`), an independent reading of NetworkPolicies: built from
 * the Go module pinned in tools/netpol-analyzer/go.mod and cached like the cluster's binaries, and
 * run on a folder of manifests (`list --dirpath <folder> --exposure -o json`). Its answer is put in
 * the form of `intendedConnections` (lib/constructs/intended-connections.ts), so the two compare.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { Component, ensureBuilt } from '../cluster/binaries';

const NETPOL_ANALYZER: Component = {
  folder: 'netpol-analyzer',
  root: path.join(__dirname, '..'),
  module: 'github.com/np-guard/netpol-analyzer',
  // The project's Makefile builds cmd/netpolicy as `k8snetpolicy`, the name its docs use.
  binaries: { k8snetpolicy: 'github.com/np-guard/netpol-analyzer/cmd/netpolicy' },
  ldflags: () => '-s -w',
};

/** The k8snetpolicy binary, built once per pinned version. */
export function ensureNetpolAnalyzer(log: (line: string) => void = (line) => console.error(line)): string {
  return ensureBuilt(NETPOL_ANALYZER, ['k8snetpolicy'], log).k8snetpolicy;
}

/** One allowed connection the analyzer found, in the form of an `IntendedConnection`. */
export interface AnalyzedConnection {
  readonly src: string;
  readonly dst: string;
  /** `TCP 8080`, `UDP 53`, …, sorted; or `All Connections`. */
  readonly ports: readonly string[];
}

/** What the analyzer reads in a folder. */
export interface FolderAnalysis {
  /**
   * Every allowed connection: between workloads of the folder (`connlist_results`) and, by its
   * exposure analysis, to and from pods outside it that a policy's selectors name
   * (`exposure_results`), one entry per pair, sorted like `intendedConnections`.
   */
  readonly connections: readonly AnalyzedConnection[];
  /**
   * Workloads an Ingress routes to whose policies admit no arbitrary in-cluster source: the
   * analyzer stands for the ingress controller by `{ingress-controller}`, any pod, so it leaves
   * these routes out of `connections` and says so in a warning.
   */
  readonly ingressBackendsClosedToAnyPod: readonly string[];
  /** Its other log lines, except the objects it skips (PDBs, HPAs, HTTPRoutes, …: no policy meaning). */
  readonly otherWarnings: readonly string[];
}

interface JsonConnection {
  readonly src: string;
  readonly dst: string;
  readonly conn: string;
}

const INGRESS_CLOSED = /K8s-Ingress resource \S+ specified workload (\S+) as a backend, but network policies are blocking ingress connections from an arbitrary in-cluster source/;
const SKIPPED_OBJECT = /skipping object with type: /;

/** Runs `k8snetpolicy list --dirpath <folder> --exposure -o json` and reads its answer. */
export function analyzeFolder(binary: string, folder: string): FolderAnalysis {
  const run = spawnSync(binary, ['list', '--dirpath', folder, '--exposure', '-o', 'json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`k8snetpolicy list --dirpath ${folder} failed (exit ${run.status}):\n${run.stderr}${run.stdout}`);
  const output = JSON.parse(run.stdout) as {
    connlist_results: JsonConnection[] | null;
    exposure_results: { egress_exposure: JsonConnection[] | null; ingress_exposure: JsonConnection[] | null };
  };
  const listed = [
    ...(output.connlist_results ?? []),
    ...(output.exposure_results.egress_exposure ?? []),
    ...(output.exposure_results.ingress_exposure ?? []),
  ];
  const byPair = new Map<string, AnalyzedConnection>();
  for (const { src, dst, conn } of listed) {
    const connection = { src, dst, ports: parseConnection(conn) };
    const key = `${src}\0${dst}`;
    const seen = byPair.get(key);
    // Connections with IP blocks are listed in both sections, alike.
    if (seen && seen.ports.join() !== connection.ports.join()) {
      throw new Error(`k8snetpolicy listed ${src} => ${dst} twice, as ${seen.ports.join(',')} and ${connection.ports.join(',')}`);
    }
    byPair.set(key, connection);
  }
  const lines = run.stderr.split('\n').map((line) => line.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, '').trim()).filter(Boolean);
  return {
    connections: [...byPair.values()].sort((a, b) => a.src.localeCompare(b.src) || a.dst.localeCompare(b.dst)),
    ingressBackendsClosedToAnyPod: [...new Set(lines.map((line) => INGRESS_CLOSED.exec(line)?.[1]).filter((w): w is string => !!w))].sort(),
    otherWarnings: lines.filter((line) => !INGRESS_CLOSED.test(line) && !SKIPPED_OBJECT.test(line)),
  };
}

/**
 * `TCP 53,UDP 53`, `TCP 8080,9090`, `TCP 3000-3002` (pkg/netpol/internal/common ConnStrFromConnProperties:
 * protocols sorted, each followed by its ports and ranges, all joined by commas) as one entry per
 * protocol and port; `All Connections` as itself.
 */
export function parseConnection(conn: string): string[] {
  if (conn === 'All Connections') return [conn];
  const ports: string[] = [];
  let protocol: string | undefined;
  for (const part of conn.split(',')) {
    const match = /^(?:(TCP|UDP|SCTP) )?(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match || !(protocol = match[1] ?? protocol)) throw new Error(`k8snetpolicy: cannot read the connection "${conn}"`);
    const [first, last] = [Number(match[2]), Number(match[3] ?? match[2])];
    for (let port = first; port <= last; port++) ports.push(`${protocol} ${port}`);
  }
  return ports;
}
