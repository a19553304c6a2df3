import { k8s } from 'cdk8s-plus-27';
import { DNS1123_LABEL_RULE, invalidValue, isDns1123Label } from './props';

/** Something outside the stack's workloads that connects in, such as the ingress controller. */
export class Peer {
  /** Every pod of the ingress controller's namespace (ingress-nginx's own namespace by default). */
  public static ingressController(namespace = 'ingress-nginx'): Peer {
    checkNamespace('Peer.ingressController', namespace);
    return new Peer(`ingress controller (${namespace})`, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } });
  }

  /** Every pod of a namespace. */
  public static namespace(namespace: string): Peer {
    checkNamespace('Peer.namespace', namespace);
    return new Peer(`namespace ${namespace}`, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } });
  }

  private constructor(public readonly description: string, public readonly peer: k8s.NetworkPolicyPeer) {}
}

/** A namespace name, as the `kubernetes.io/metadata.name` label of a namespace selector. */
function checkNamespace(caller: string, namespace: string): void {
  if (typeof namespace !== 'string' || !isDns1123Label(namespace)) {
    throw invalidValue(caller, 'namespace', namespace, DNS1123_LABEL_RULE);
  }
}
