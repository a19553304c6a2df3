/**
 * Image references (`registry.example.com:5000/team/app:1.4.2@sha256:…`), read as the kubelet
 * reads them (the distribution/reference grammar), and the one definition of a pinned image.
 */

/** An image tag (the OCI distribution spec's grammar). */
export const IMAGE_TAG_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$';

/** The parts of an image reference. @inline */
export interface ImageReference {
  /** Registry host (with port) when the first component looks like one (has `.` or `:`, or is `localhost`), as Docker decides. */
  readonly registry?: string;
  /** Repository path without the registry, e.g. `nginx`, `library/nginx`, `nginxinc/nginx-unprivileged`. */
  readonly path: string;
  /** The tag, when written (`1.27`, `latest`). */
  readonly tag?: string;
  /** The digest, when written (`sha256:…`). */
  readonly digest?: string;
}

/** Splits a reference into registry, path, tag and digest; it does not check their grammar. */
export function parseImageReference(image: string): ImageReference {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const nameAndTag = at >= 0 ? image.slice(0, at) : image;
  const slash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', slash + 1);
  const tag = colon >= 0 ? nameAndTag.slice(colon + 1) : undefined;
  const repository = colon >= 0 ? nameAndTag.slice(0, colon) : nameAndTag;
  const components = repository.split('/');
  const first = components[0];
  const hasRegistry = components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  return {
    registry: hasRegistry ? first : undefined,
    path: hasRegistry ? components.slice(1).join('/') : repository,
    tag,
    digest,
  };
}

/**
 * Why `image` is not pinned, or `undefined` when it is: a digest, or a tag other than `latest`.
 * Every check of pinning (the `image-pinning` warning, `checkPinnedImage` of stages that ask for
 * pinned images, the compose importer) reads this one definition.
 */
export function unpinnedReason(image: string): string | undefined {
  const { tag, digest } = parseImageReference(image);
  if (digest !== undefined) return undefined;
  if (tag === undefined || tag === '') return 'has no tag, which means "latest"';
  if (tag === 'latest') return 'is tagged "latest"';
  return undefined;
}

/**
 * The Docker Hub name of an image, the way the table of image needs keys it: `nginx` for
 * `nginx`, `library/nginx`, `docker.io/library/nginx` and `index.docker.io/nginx`;
 * `nginxinc/nginx-unprivileged` for that repository on Docker Hub. `undefined` for other
 * registries, whose images are somebody else's build even when the last component matches.
 */
export function dockerHubName(image: string): string | undefined {
  const { registry, path } = parseImageReference(image);
  if (registry !== undefined && registry !== 'docker.io' && registry !== 'index.docker.io' && registry !== 'registry-1.docker.io') return undefined;
  return path.startsWith('library/') ? path.slice('library/'.length) : path;
}
