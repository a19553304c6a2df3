export * from './props';
export * from './validation/quantity';
export * from './pod-template';
export * from './workload';
export * from './connections';
export * from './restricted-namespace';
export * from './external-objects';
export * from './service';
export * from './web-app';
export * from './ingressed-service';
export * from './disruption-budget';
export * from './protection';
export * from './stateful-app';
export * from './mongo-stateful-set';
export * from './redis-stateful-set';
export * from './hpa-policy';
export * from './job';
export * from './cron-job';
export * from './config-map';
export * from './validation/types';
export { RULES, validateObjects, formatReport, ValidateOptions, ValidationReport } from './validation';
export { Rule, RuleContext, ObjectIndex, IndexedObject, PodTemplate, ContainerRef, Json } from './validation/rule';
export { checkSchema, resourceScope, ResourceScope, SCHEMA_VERSIONS, DEFAULT_SCHEMA_VERSION } from './validation/schema';
export { loadManifestFolder, readManifestFolder, LoadOptions, ManifestFolder } from './validation/load';
export * from './synth/manifests';
export * from './synth/synthesize';
export * from './synth/write';
export type { LockOptions } from './synth/output-lock';
export * from './synth/synthesize-and-report';
export { diffManifests, formatDiff, ManifestDiff, ObjectChange, ObjectIdentity, ChangedObject, MovedObject } from './synth/diff';
export { mermaidDiagram } from './synth/diagram';
export * from './http-route';
export type {
  AffinityProps, AvoidOwnPodsProps, NodeAffinityProps, NodeLabelRequirement, NodeSelectorTermProps, PodAffinityProps, PodAffinityTermProps,
  PodLabelRequirement, PreferredNodeTermProps, PreferredPodTermProps,
} from './affinity';
