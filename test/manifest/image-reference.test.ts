import { dockerHubName, parseImageReference, unpinnedReason } from '../../lib/manifest/image-reference';

describe('parseImageReference', () => {
  test.each([
    ['nginx', { registry: undefined, path: 'nginx', tag: undefined, digest: undefined }],
    ['nginx:1.27', { registry: undefined, path: 'nginx', tag: '1.27', digest: undefined }],
    ['localhost:5000/team/app:1.0', { registry: 'localhost:5000', path: 'team/app', tag: '1.0', digest: undefined }],
    [`app:latest@sha256:${'a'.repeat(64)}`, { registry: undefined, path: 'app', tag: 'latest', digest: `sha256:${'a'.repeat(64)}` }],
    ['docker.io/library/postgres:16', { registry: 'docker.io', path: 'library/postgres', tag: '16', digest: undefined }],
  ])('reads %j', (image, expected) => {
    expect(parseImageReference(image)).toEqual(expected);
  });
});

describe('unpinnedReason', () => {
  test.each([
    ['app', 'has no tag, which means "latest"'],
    ['registry.example.com:5000/app', 'has no tag, which means "latest"'],
    ['app:', 'has no tag, which means "latest"'],
    ['app:latest', 'is tagged "latest"'],
  ])('%j is not pinned', (image, reason) => {
    expect(unpinnedReason(image)).toBe(reason);
  });
  test.each(['app:1.4.2', `app@sha256:${'b'.repeat(64)}`, `app:latest@sha256:${'b'.repeat(64)}`, 'localhost:5000/app:2023-05-01'])('%j is pinned', (image) => {
    expect(unpinnedReason(image)).toBeUndefined();
  });
});

describe('dockerHubName', () => {
  test.each([
    ['nginx:1.27', 'nginx'],
    ['library/nginx', 'nginx'],
    ['docker.io/library/nginx:1.27', 'nginx'],
    ['index.docker.io/nginxinc/nginx-unprivileged:1.27', 'nginxinc/nginx-unprivileged'],
  ])('%j is %j on Docker Hub', (image, name) => {
    expect(dockerHubName(image)).toBe(name);
  });
  it('is undefined for another registry, whose "nginx" is somebody else\'s build', () => {
    expect(dockerHubName('registry.example.com/nginx:1.27')).toBeUndefined();
  });
});
