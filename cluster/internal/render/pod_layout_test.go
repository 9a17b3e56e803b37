package render

import (
	"strconv"
	"strings"
	"testing"
)

// TestPodLayoutAddressesUseTheServerPort: the listen address and the sidecar's URL are
// literals (constants cannot format), so check they agree with ServerPort.
func TestPodLayoutAddressesUseTheServerPort(t *testing.T) {
	suffix := ":" + strconv.Itoa(ServerPort)
	for _, address := range []string{ServerListenAddress, LocalServerURL} {
		if !strings.HasSuffix(address, suffix) {
			t.Errorf("%q does not end with %s", address, suffix)
		}
	}
	if got := ServerIdentity(minimalServer()); got != "kopia-server@vms.tenant-a" {
		t.Errorf("ServerIdentity = %q", got)
	}
}
