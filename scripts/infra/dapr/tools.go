//go:build tools

// Package tools only pins the Dapr commands this module builds, so `go mod tidy` keeps them.
package tools

import (
	_ "github.com/dapr/dapr/cmd/daprd"
	_ "github.com/dapr/dapr/cmd/scheduler"
)
