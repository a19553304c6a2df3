import * as fs from 'fs';
import * as path from 'path';

const PACKAGE_NAME = 'habr-k8s';

/** The version in this package's package.json (the closest one above this module named habr-k8s). */
export function packageVersion(): string {
  for (let folder = __dirname; ; folder = path.dirname(folder)) {
    const file = path.join(folder, 'package.json');
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === PACKAGE_NAME && manifest.version) return manifest.version;
    }
    if (path.dirname(folder) === folder) throw new Error(`no package.json of ${PACKAGE_NAME} above ${__dirname}`);
  }
}
