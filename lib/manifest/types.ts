/**
 * The vocabulary shared by every validation pass: plain Kubernetes objects in, findings out.
 * Validation never sees constructs, so it works the same on our synthesized output and on any
 * folder of hand-written YAML.
 */

/** A plain Kubernetes object, as it would be written to YAML. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** An object and where it comes from: a chart's output file, or a YAML file read from disk. @inline */
export interface SourcedObject {
  readonly object: KubeObject;
  /** The file (e.g. `0001-backend.k8s.yaml`) or chart the object belongs to. */
  readonly source: string;
  /** Position of the object in `kubectl apply -f` order across the whole set (0-based). */
  readonly order: number;
}

/** How bad a finding is: an `error` stops `habr-k8s synth`; a `warning` is reported only. @inline */
export type Severity = 'error' | 'warning';

/** What the Kubernetes API server does with the mistake, for the reader of the report. @inline */
export type ApiServerVerdict =
  /** `kubectl apply` fails: the API server refuses the object. */
  | 'rejects'
  /** The API server accepts the object; the problem shows at run time (or never scales, etc.). */
  | 'accepts';

/** One problem found in a set of objects. */
export interface Finding {
  /** Stable id of the rule that found it, e.g. `service-selector`. */
  readonly rule: string;
  readonly severity: Severity;
  /** The file or chart of the object. */
  readonly source: string;
  /** `Kind namespace/name` (or `Kind name` for cluster-scoped objects). */
  readonly object: string;
  /** Field path inside the object, e.g. `spec.template.spec.containers[0].ports[0].containerPort`. */
  readonly path: string;
  /** What is wrong and what would make it right. */
  readonly message: string;
  readonly apiServer: ApiServerVerdict;
}

/** Objects the manifests reference but that are created outside them (e.g. `kubectl create secret`). */
export interface ExternalObject {
  readonly kind: string;
  readonly name: string;
  /** @default 'default' */
  readonly namespace?: string;
}
