import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type * as GatewayImport from '../../imports/gateway-gateway.networking.k8s.io';
import { GatewayRef } from './http-route';
import { createJsonFormObject } from './json-form';
import { checkAll, checkDns1123Label, checkDns1123Subdomain, checkOneOf, detachOnError, invalidProp } from './props';
import { httpRouteLimits } from '../validation/http-route';

/** The annotation cert-manager's Gateway API support reads on a Gateway to issue its listeners' certificates. */
export const CERT_MANAGER_CLUSTER_ISSUER_ANNOTATION = 'cert-manager.io/cluster-issuer';

/** The most listeners a Gateway has (the CRD's `maxItems`). */
const MAX_LISTENERS = 64;
const ALLOWED_ROUTES = ['Same', 'All'] as const;

/** Props of an {@link HttpsGateway}. */
export interface HttpsGatewayProps {
  /** Name of the Gateway. */
  readonly name: string;
  /** Namespace of the Gateway. @default - the chart's namespace */
  readonly namespace?: string;
  /** The GatewayClass of the Gateway API implementation that runs it (`spec.gatewayClassName`). */
  readonly gatewayClassName: string;
  /** The host names it serves, one HTTPS listener `https-<n>` each (port 443): at most 64, e.g. `shop.example.com` or `*.example.com`. */
  readonly hostnames: readonly string[];
  /** The Secret (`kubernetes.io/tls`, in the Gateway's namespace) whose certificate every listener presents; TLS terminates at the Gateway. */
  readonly tlsSecretName: string;
  /**
   * A cert-manager ClusterIssuer: the annotation `cert-manager.io/cluster-issuer` has cert-manager
   * (with its Gateway API support enabled) issue `tlsSecretName` for the listeners' host names.
   * @default - no annotation: the Secret is created beforehand
   */
  readonly clusterIssuer?: string;
  /** Whose routes may attach: the Gateway's own namespace (`Same`) or every namespace (`All`). @default 'Same' */
  readonly allowedRoutes?: 'Same' | 'All';
}

/** The L1 class `cdk8s import` generated from the CRD, loaded on first use, like the HTTPRoute's. */
function gatewayL1(): typeof GatewayImport.Gateway {
  return (require('../../imports/gateway-gateway.networking.k8s.io') as typeof GatewayImport).Gateway;
}

/**
 * A Gateway API `Gateway` of our own, for a cluster without a platform Gateway: one HTTPS
 * listener per host name, terminating TLS with the certificate of one Secret, which cert-manager
 * issues when `clusterIssuer` is set. Routes attach to it with {@link HttpsGateway.ref} (no
 * `sectionName`: each route is accepted by the listeners of its host names). The Gateway's data
 * plane (its proxy pods) is the implementation's: name it to the routes' `dataPlane`.
 */
@detachOnError
export class HttpsGateway extends Construct {
  /** The Gateway object. */
  public readonly gateway: ApiObject;
  /** What a route's `gateways` names to attach to this Gateway. */
  public readonly ref: GatewayRef & { readonly namespace: string };

  constructor(scope: Construct, id: string, props: HttpsGatewayProps) {
    super(scope, id);
    const namespace = props.namespace ?? Chart.of(this).namespace;
    let allowedRoutes: 'Same' | 'All' = 'Same';
    checkAll(this, [
      () => checkDns1123Subdomain(this, 'name', props.name),
      () => props.namespace !== undefined && checkDns1123Label(this, 'namespace', props.namespace),
      () => {
        if (namespace === undefined) throw invalidProp(this, 'namespace', undefined, 'must be set, here or on the chart: a Gateway is namespaced');
      },
      () => checkDns1123Subdomain(this, 'gatewayClassName', props.gatewayClassName),
      () => checkGatewayHostnames(this, props.hostnames),
      () => checkDns1123Subdomain(this, 'tlsSecretName', props.tlsSecretName),
      () => props.clusterIssuer !== undefined && checkDns1123Subdomain(this, 'clusterIssuer', props.clusterIssuer),
      () => (allowedRoutes = checkOneOf(this, 'allowedRoutes', props.allowedRoutes ?? 'Same', ALLOWED_ROUTES)),
    ]);
    this.ref = { name: props.name, namespace: namespace! };
    this.gateway = createJsonFormObject(gatewayL1(), this, 'Gateway', {
      metadata: {
        name: props.name,
        namespace,
        annotations: props.clusterIssuer ? { [CERT_MANAGER_CLUSTER_ISSUER_ANNOTATION]: props.clusterIssuer } : undefined,
      },
      spec: {
        gatewayClassName: props.gatewayClassName,
        listeners: props.hostnames.map((hostname, i) => ({
          name: `https-${i}`,
          hostname,
          port: 443,
          protocol: 'HTTPS',
          tls: { mode: 'Terminate' as GatewayImport.GatewaySpecListenersTlsMode, certificateRefs: [{ kind: 'Secret', name: props.tlsSecretName }] },
          allowedRoutes: { namespaces: { from: allowedRoutes as GatewayImport.GatewaySpecListenersAllowedRoutesNamespacesFrom } },
        })),
      },
    });
  }
}

function checkGatewayHostnames(scope: Construct, hostnames: readonly string[]): void {
  if (!Array.isArray(hostnames) || hostnames.length === 0 || hostnames.length > MAX_LISTENERS) {
    throw invalidProp(scope, 'hostnames', hostnames, `must list 1 to ${MAX_LISTENERS} host names (one listener each, the CRD's limit on listeners)`);
  }
  // A listener's hostname follows the same rule as a route's.
  const { hostnamePattern } = httpRouteLimits();
  const seen = new Set<string>();
  checkAll(scope, hostnames.map((hostname, i) => () => {
    if (typeof hostname !== 'string' || hostname.length > 253 || !hostnamePattern.test(hostname)) {
      throw invalidProp(scope, `hostnames[${i}]`, hostname, 'must be a DNS-1123 subdomain, optionally starting with "*." (no IP address, no port)');
    }
    if (seen.has(hostname)) throw invalidProp(scope, `hostnames[${i}]`, hostname, 'must differ from the other host names: two listeners on one port need distinct host names');
    seen.add(hostname);
  }));
}
