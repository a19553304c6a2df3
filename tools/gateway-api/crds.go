//go:build tools

// Package crds only keeps sigs.k8s.io/gateway-api required, so that `go mod tidy` leaves the pin in
// go.mod: nothing here is built. The CRD YAMLs come from the module's config/crd/standard folder.
package crds

import _ "sigs.k8s.io/gateway-api/apis/v1"
