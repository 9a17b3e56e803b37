package require

import (
	"testing"
)

// recorder is a testing.TB that records how a helper ended it instead of ending the test.
type recorder struct {
	testing.TB
	failed, skipped bool
	message         string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = true
	r.message = format
}
func (r *recorder) Skip(args ...any) { r.skipped = true }

func TestMissingFailsUnderCIAndSkipsOtherwise(t *testing.T) {
	t.Setenv("GUESTBACKUP_REQUIRE_ALL", "")
	t.Setenv("CI", "true")
	r := &recorder{TB: t}
	Missing(r, "minio is not built")
	if !r.failed || r.skipped {
		t.Fatalf("under CI=true: failed=%v skipped=%v, want a failure", r.failed, r.skipped)
	}

	t.Setenv("CI", "")
	r = &recorder{TB: t}
	Missing(r, "minio is not built")
	if r.failed || !r.skipped {
		t.Fatalf("outside CI: failed=%v skipped=%v, want a skip", r.failed, r.skipped)
	}

	t.Setenv("GUESTBACKUP_REQUIRE_ALL", "1")
	r = &recorder{TB: t}
	Missing(r, "minio is not built")
	if !r.failed {
		t.Fatal("GUESTBACKUP_REQUIRE_ALL=1 did not make a missing component fail")
	}
}

func TestEnvReturnsASetValue(t *testing.T) {
	t.Setenv("GUESTBACKUP_TEST_VALUE", "/usr/bin/minio")
	if got := Env(t, "GUESTBACKUP_TEST_VALUE", "needed"); got != "/usr/bin/minio" {
		t.Fatalf("Env = %q", got)
	}
}
