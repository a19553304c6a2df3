// `npm run gen:imports`: the Gateway API CRDs (imports/crds/), their cdk8s L1 classes (imports/*.ts)
// and lib/validation/schema/gateway-api.json, from the module pinned in tools/gateway-api/go.mod.
// Needs Go; see tools/gateway-api/imports.ts.
import { regenerate } from '../tools/gateway-api/imports';

regenerate();
