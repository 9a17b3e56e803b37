// Package require decides what a test does when a real component it needs is missing: outside
// CI it skips with the reason (a developer may run a part of the suite), under CI=true it fails,
// because a skipped suite in CI would pass without having run.
package require

import (
	"os"
	"testing"
)

// Strict reports whether a missing component fails the test instead of skipping it: under
// CI=true, or when GUESTBACKUP_REQUIRE_ALL=1 asks for it.
func Strict() bool {
	return os.Getenv("CI") == "true" || os.Getenv("GUESTBACKUP_REQUIRE_ALL") == "1"
}

// Env returns the value of the environment variable name; when it is empty the test skips (or,
// when Strict, fails) with why it is needed.
func Env(t testing.TB, name, why string) string {
	t.Helper()
	value := os.Getenv(name)
	if value == "" {
		Missing(t, name+" is not set: "+why)
	}
	return value
}

// Missing ends t: Fatal when Strict, Skip otherwise.
func Missing(t testing.TB, reason string) {
	t.Helper()
	if Strict() {
		t.Fatalf("%s (a test that cannot run is a failure under CI=true)", reason)
		return
	}
	t.Skip(reason)
}
