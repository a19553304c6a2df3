import * as path from 'path';
import { describeError, UsageError, UserError } from '../../lib/cli/command';

function errno(code: string, syscall: string, file: string, message = `${code}: something, ${syscall} '${file}'`): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code, syscall, path: file });
}

test.each([
  ['EACCES', 'cannot open dist/00-platform.yaml: permission denied; make it writable for you, or run as its owner (EACCES)'],
  ['EROFS', 'cannot open dist/00-platform.yaml: the file system is read-only; run from a writable checkout (EROFS)'],
  ['ENOSPC', 'cannot open dist/00-platform.yaml: no space left on the device; free some space and run again (ENOSPC)'],
])('a file system error %s is one line naming the file, relative to the project, and what to do', (code, line) => {
  expect(describeError(errno(code, 'open', '/repo/dist/00-platform.yaml'), '/repo')).toBe(line);
});

test('a rename names both paths; a path outside the project stays absolute', () => {
  const error = Object.assign(errno('EXDEV', 'rename', '/repo/.habr-k8s/staging/folder'), { dest: '/mnt/dist' });
  expect(describeError(error, '/repo')).toBe(
    `cannot rename ${path.join('.habr-k8s', 'staging', 'folder')} → /mnt/dist: it is on another file system than the project; keep the output folders on one file system (EXDEV)`,
  );
});

test('other errors are their first line; user errors keep their exit code and name', () => {
  expect(describeError(new Error('first\nsecond'))).toBe('first');
  expect(new UsageError('x')).toMatchObject({ exitCode: 2, name: 'UsageError' });
  expect(new UserError('x')).toMatchObject({ exitCode: 1, name: 'UserError' });
});
