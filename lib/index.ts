/**
 * The public API: the constructs and their props, the prop errors, and synthesis and validation
 * of a whole app. Helpers the constructs share (prop checks such as `checkPodTemplate`, label
 * and name rules, the output header, the commit internals) are not exported here: this repository's
 * own apps, scripts and tests import them from their modules.
 */
export {
  invalidProp, checkAll, detachOnError, checkDns1123Label, checkDns1035Label, checkDns1123Subdomain,
  checkPort, checkPortName, checkInteger, checkNonEmpty, checkAbsolutePath, checkEnvName,
  checkLabels, checkAnnotations, checkOneOf, checkPinnedImage, checkPositiveQuantity, checkIntOrPercent,
  PropProblem, PropsError, ConstructClass,
} from './props';
export * from './validation/quantity';
export {
  ResourceList, ResourceProps, HttpGetProbeProps, TcpSocketProbeProps, ExecProbeProps, ProbeProps,
  SecretMount, ConfigMapMount, SecurityProps, ContainerProps, EnvFromProps, PreStopProps,
  InitContainerProps, InitContainerMount, PodVolumeProps, TolerationProps, PodProps, PodTemplateProps,
  ContainerPort, ContainerDefaults, DEFAULT_APP_UID, APP_CONTAINER_DEFAULTS,
} from './pod-template';
export * from './pod-target';
export * from './peer';
export {
  selectorLabelsFor, checkWorkloadName, workloadMetadataChecks, namespaceOf, NAME_LABEL, WorkloadMetadataProps,
  IAutoscalable, WorkloadIdentity, WorkloadBase,
} from './workload';
export * from './connections';
export * from './restricted-namespace';
export {
  declareExternalObject,
} from './external-objects';
export * from './service';
export * from './web-app';
export * from './ingressed-service';
export * from './disruption-budget';
export * from './protection';
export * from './stateful-app';
export * from './mongo-stateful-set';
export * from './redis-stateful-set';
export * from './hpa-policy';
export {
  JobRestartPolicy, JobProps, BatchJobProps, BatchJob,
} from './job';
export {
  ConcurrencyPolicy, ScheduledJobProps, ScheduledJob,
} from './cron-job';
export * from './config-map';
export * from './validation/types';
export { RULES, validateObjects, formatReport, ValidateOptions, ValidationReport } from './validation';
export { Rule, RuleContext, ObjectIndex, IndexedObject, IndexedPodTemplate, ContainerRef, Json } from './validation/rule';
export { checkSchema, resourceScope, ResourceScope, SCHEMA_VERSIONS, DEFAULT_SCHEMA_VERSION } from './validation/schema';
export { loadManifestFolder, readManifestFolder, LoadOptions, ManifestFolder } from './validation/load';
export {
  appManifests, ChartManifest,
} from './synth/manifests';
export * from './synth/synthesize';
export {
  commitOutput, recoverOutput, OutputDocument, OutputCommit, CommitOptions, CommitResult, OutputFile,
} from './synth/write';
export type { LockOptions } from './synth/output-lock';
export * from './synth/synthesize-and-report';
export { diffManifests, formatDiff, ManifestDiff, ObjectChange, ObjectIdentity, ChangedObject, MovedObject } from './synth/diff';
export { mermaidDiagram } from './synth/diagram';
export * from './http-route';
export type {
  AffinityProps, AvoidOwnPodsProps, NodeAffinityProps, NodeLabelRequirement, NodeSelectorTermProps, PodAffinityProps, PodAffinityTermProps,
  PodLabelRequirement, PreferredNodeTermProps, PreferredPodTermProps,
} from './affinity';
export * from './validation/release-labels';
export * from './release-version';
export * from './released-web-app';
