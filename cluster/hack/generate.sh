#!/usr/bin/env bash
# Regenerates everything derived from markers: the deepcopy functions and the CRD under
# config/crd/bases (from api/), and the controller's ClusterRole config/rbac/role.yaml (from the
# +kubebuilder:rbac markers in internal/controller). controller-gen is pinned as a `tool` in
# go.mod, so this needs only Go and the module proxy. Run from anywhere; api/v1alpha1/crd_test.go
# fails when the committed output is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
go tool controller-gen object paths=./api/...
go tool controller-gen crd:allowDangerousTypes=false paths=./api/... output:crd:artifacts:config=config/crd/bases
go tool controller-gen rbac:roleName=bsls-controller paths=./... output:rbac:artifacts:config=config/rbac
