import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import {
  CRDS_DIR,
  GATEWAY_API_SCHEMA_FILE,
  gatewayApiVersion,
  IMPORTS_DIR,
  importEntries,
  runImporter,
  validationSchemaText,
} from '../../../tools/gateway-api/imports';

/**
 * imports/ and the validation schema are generated (`npm run gen:imports`): a hand edit, or CRDs
 * changed without regenerating, fails here. Runs the real cdk8s CLI importer on the committed CRD
 * files, offline; copying the CRDs out of the Go module is the one step not repeated (it needs Go).
 */
describe('imports/', () => {
  it('is what `cdk8s import` writes from the committed CRD files', () => {
    const generated = runImporter();
    const committed = fs.readdirSync(IMPORTS_DIR).filter((name) => name.endsWith('.ts')).sort();
    expect(committed).toEqual([...generated.keys()].sort());
    for (const [name, text] of generated) {
      const upToDate = fs.readFileSync(path.join(IMPORTS_DIR, name), 'utf8') === text;
      expect({ name, upToDate }).toEqual({ name, upToDate: true });
    }
  }, 60_000);

  it('holds only the CRDs cdk8s.yaml imports, all of the pinned release and its standard channel', () => {
    const files = importEntries().map((entry) => path.basename(entry.crdFile));
    expect(fs.readdirSync(CRDS_DIR).sort()).toEqual([...files].sort());
    expect(files).toContain('gateway.networking.k8s.io_httproutes.yaml');
    for (const file of files) {
      const crd = parse(fs.readFileSync(path.join(CRDS_DIR, file), 'utf8'));
      expect({ file, annotations: crd.metadata.annotations }).toMatchObject({
        file,
        annotations: {
          'gateway.networking.k8s.io/bundle-version': gatewayApiVersion(),
          'gateway.networking.k8s.io/channel': 'standard',
        },
      });
    }
  });

  it('gives the committed validation schema', () => {
    expect(fs.readFileSync(GATEWAY_API_SCHEMA_FILE, 'utf8')).toBe(validationSchemaText());
  });
});
