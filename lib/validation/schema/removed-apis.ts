/**
 * API versions that Kubernetes stopped serving, from the deprecated API migration guide
 * (https://kubernetes.io/docs/reference/using-api/deprecation-guide/). The generated schemas only
 * know what a release serves; this tells a removed API apart from a misspelt one.
 */
const REMOVED_APIS: Readonly<Record<string, readonly string[]>> = {
  '1.16': [
    'apps/v1beta1/Deployment',
    'apps/v1beta1/ReplicaSet',
    'apps/v1beta1/StatefulSet',
    'apps/v1beta2/DaemonSet',
    'apps/v1beta2/Deployment',
    'apps/v1beta2/ReplicaSet',
    'apps/v1beta2/StatefulSet',
    'extensions/v1beta1/DaemonSet',
    'extensions/v1beta1/Deployment',
    'extensions/v1beta1/NetworkPolicy',
    'extensions/v1beta1/PodSecurityPolicy',
    'extensions/v1beta1/ReplicaSet',
  ],
  '1.22': [
    'admissionregistration.k8s.io/v1beta1/MutatingWebhookConfiguration',
    'admissionregistration.k8s.io/v1beta1/ValidatingWebhookConfiguration',
    'apiextensions.k8s.io/v1beta1/CustomResourceDefinition',
    'apiregistration.k8s.io/v1beta1/APIService',
    'authentication.k8s.io/v1beta1/TokenReview',
    'authorization.k8s.io/v1beta1/LocalSubjectAccessReview',
    'authorization.k8s.io/v1beta1/SelfSubjectAccessReview',
    'authorization.k8s.io/v1beta1/SubjectAccessReview',
    'certificates.k8s.io/v1beta1/CertificateSigningRequest',
    'coordination.k8s.io/v1beta1/Lease',
    'extensions/v1beta1/Ingress',
    'networking.k8s.io/v1beta1/Ingress',
    'networking.k8s.io/v1beta1/IngressClass',
    'rbac.authorization.k8s.io/v1beta1/ClusterRole',
    'rbac.authorization.k8s.io/v1beta1/ClusterRoleBinding',
    'rbac.authorization.k8s.io/v1beta1/Role',
    'rbac.authorization.k8s.io/v1beta1/RoleBinding',
    'scheduling.k8s.io/v1beta1/PriorityClass',
    'storage.k8s.io/v1beta1/CSIDriver',
    'storage.k8s.io/v1beta1/CSINode',
    'storage.k8s.io/v1beta1/StorageClass',
    'storage.k8s.io/v1beta1/VolumeAttachment',
  ],
  '1.25': [
    'autoscaling/v2beta1/HorizontalPodAutoscaler',
    'batch/v1beta1/CronJob',
    'discovery.k8s.io/v1beta1/EndpointSlice',
    'events.k8s.io/v1beta1/Event',
    'node.k8s.io/v1beta1/RuntimeClass',
    'policy/v1beta1/PodDisruptionBudget',
    'policy/v1beta1/PodSecurityPolicy',
  ],
  '1.26': [
    'autoscaling/v2beta2/HorizontalPodAutoscaler',
    'flowcontrol.apiserver.k8s.io/v1beta1/FlowSchema',
    'flowcontrol.apiserver.k8s.io/v1beta1/PriorityLevelConfiguration',
  ],
  '1.27': ['storage.k8s.io/v1beta1/CSIStorageCapacity'],
  '1.29': [
    'flowcontrol.apiserver.k8s.io/v1beta2/FlowSchema',
    'flowcontrol.apiserver.k8s.io/v1beta2/PriorityLevelConfiguration',
  ],
  '1.32': [
    'flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema',
    'flowcontrol.apiserver.k8s.io/v1beta3/PriorityLevelConfiguration',
  ],
};

const REMOVED_IN: ReadonlyMap<string, string> = new Map(
  Object.entries(REMOVED_APIS).flatMap(([release, keys]) => keys.map((key) => [key, release] as const)),
);

/** The Kubernetes release that stopped serving `apiVersion/kind`, if it is a removed built-in API. */
export function releaseThatRemoved(resourceKey: string): string | undefined {
  return REMOVED_IN.get(resourceKey);
}

/** API groups that only removed APIs belonged to, e.g. `extensions`. */
export function groupsOfRemovedApis(): string[] {
  return [...REMOVED_IN.keys()].map((key) => key.split('/')[0]);
}
