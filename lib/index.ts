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
} from './constructs/props';
export * from './manifest/quantity';
export {
  ResourceList, ResourceProps, HttpGetProbeProps, TcpSocketProbeProps, ExecProbeProps, ProbeProps,
  SecretMount, ConfigMapMount, SecurityProps, ContainerProps, EnvFromProps, PreStopProps,
  InitContainerProps, InitContainerMount, PodVolumeProps, TolerationProps, PodProps, PodTemplateProps,
  ContainerPort, ContainerDefaults, DEFAULT_APP_UID, APP_CONTAINER_DEFAULTS,
} from './constructs/pod-template';
export * from './constructs/pod-target';
export * from './constructs/peer';
export {
  selectorLabelsFor, checkWorkloadName, workloadMetadataChecks, namespaceOf, NAME_LABEL, WorkloadMetadataProps,
  IAutoscalable, WorkloadIdentity, WorkloadBase,
} from './constructs/workload';
export * from './constructs/connections';
export * from './constructs/restricted-namespace';
export {
  declareExternalObject,
} from './constructs/external-objects';
export * from './constructs/service';
export * from './constructs/web-app';
export * from './constructs/ingressed-service';
export * from './constructs/disruption-budget';
export * from './constructs/protection';
export * from './constructs/stateful-app';
export * from './constructs/mongo-stateful-set';
export * from './constructs/redis-stateful-set';
export * from './constructs/hpa-policy';
export {
  JobRestartPolicy, JobProps, BatchJobProps, BatchJob,
} from './constructs/job';
export {
  ConcurrencyPolicy, ScheduledJobProps, ScheduledJob,
} from './constructs/cron-job';
export * from './constructs/config-map';
export * from './manifest/types';
export { RULES, validateObjects, formatReport, ValidateOptions, ValidationReport } from './validation';
export { Rule, RuleContext, ObjectIndex, IndexedObject, IndexedPodTemplate, ContainerRef, Json } from './validation/rule';
export { checkSchema, resourceScope, ResourceScope, SCHEMA_VERSIONS, DEFAULT_SCHEMA_VERSION } from './validation/schema';
export { loadManifestFolder, readManifestFolder, LoadOptions, ManifestFolder } from './manifest/load';
export {
  appManifests, ChartManifest,
} from './render/manifests';
export * from './render/synthesize';
export { chartValues } from './render/helm/values';
export type { ChartValuesOptions } from './render/helm/values';
export {
  commitOutput, recoverOutput, OutputDocument, OutputCommit, CommitOptions, CommitResult, OutputFile,
} from './output/write';
export type { LockOptions } from './output/output-lock';
export * from './render/synthesize-and-report';
export { diffManifests, formatDiff, ManifestDiff, ObjectChange, ObjectIdentity, ChangedObject, MovedObject } from './diff/diff';
export { mermaidDiagram } from './diff/diagram';
export * from './constructs/http-route';
export type {
  AffinityProps, AvoidOwnPodsProps, NodeAffinityProps, NodeLabelRequirement, NodeSelectorTermProps, PodAffinityProps, PodAffinityTermProps,
  PodLabelRequirement, PreferredNodeTermProps, PreferredPodTermProps,
} from './constructs/affinity';
export * from './manifest/release-labels';
export * from './constructs/release-version';
export * from './constructs/released-web-app';
