package main

import (
	"os"
	"testing"
)

// runAsCommandEnv makes the test binary act as bsls-controller, so tests can run a subcommand
// as its own process (to signal it) without building the binary.
const runAsCommandEnv = "BSLS_CONTROLLER_TEST_RUN_AS_COMMAND"

func TestMain(m *testing.M) {
	if os.Getenv(runAsCommandEnv) == "1" {
		os.Exit(dispatch(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
