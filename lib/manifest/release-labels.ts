/**
 * The label contract of releases (blue/green, rainbow, canary), shared by the constructs that
 * write it and the validation rules that read it:
 *
 * - Every Deployment of a released app carries {@link RELEASE_VERSION_LABEL} with its version's
 *   name on the Deployment, in `spec.selector.matchLabels` and in its pod template labels, next
 *   to `app.kubernetes.io/name` (the app). Two versions of one app therefore never select each
 *   other's pods, and switching versions never touches a Deployment's (immutable) selector.
 * - A Service selects one version of an app by both labels; only a Service annotated
 *   {@link RELEASE_MIXED_VERSIONS_ANNOTATION}` = "true"` (a canary by replica ratio) selects
 *   every version of the app on purpose.
 */

/** The version of a released app, on its Deployment, the Deployment's selector and its pods. */
export const RELEASE_VERSION_LABEL = 'release.habr-k8s.io/version';

/** On a Service that deliberately sends traffic to every version of an app (a canary by replica ratio): `"true"`. */
export const RELEASE_MIXED_VERSIONS_ANNOTATION = 'release.habr-k8s.io/mixes-versions';

/** ingress-nginx: marks an Ingress as the canary of the primary Ingress with the same host and path. */
export const NGINX_CANARY_ANNOTATION = 'nginx.ingress.kubernetes.io/canary';

/** ingress-nginx: the share of requests (of `canary-weight-total`, 100 by default) the canary Ingress receives. */
export const NGINX_CANARY_WEIGHT_ANNOTATION = 'nginx.ingress.kubernetes.io/canary-weight';

/** ingress-nginx: what `canary-weight` is a share of. @default 100 */
export const NGINX_CANARY_WEIGHT_TOTAL_ANNOTATION = 'nginx.ingress.kubernetes.io/canary-weight-total';
