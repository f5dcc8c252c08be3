package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// TestJoinSegs: a display path joins field names with dots and keeps an
// element's "[key]" against the name before it, sized once for any
// number of steps.
func TestJoinSegs(t *testing.T) {
	for _, tc := range []struct {
		segs []string
		want string
	}{
		{nil, ""},
		{[]string{"site_config"}, "site_config"},
		{[]string{"[0]"}, "[0]"},
		{[]string{"site_config", "cors", "allowed_origins", `["*"]`}, `site_config.cors.allowed_origins["*"]`},
		{[]string{"app_settings", "[DB]", "value"}, "app_settings[DB].value"},
	} {
		if got := joinSegs(tc.segs); got != tc.want {
			t.Errorf("joinSegs(%q) = %q, want %q", tc.segs, got, tc.want)
		}
	}
}

// TestFingerprintIsTruncatedSHA256: the fingerprint is the first 16
// bytes of the SHA-256 of the NUL-joined parts, in lower-case hex.
func TestFingerprintIsTruncatedSHA256(t *testing.T) {
	long := strings.Repeat("/subscriptions/x/resourceGroups/rg", 20) // longer than Fingerprint's buffer
	for _, parts := range [][5]string{
		{"AZFUNC-040", ".", "main.tf", "azurerm_linux_function_app.a", "https_only"},
		{"AZFUNC-001", "infra", "azuredeploy.json", long, `app_settings["*"]`},
		{"", "", "", "", ""},
	} {
		sum := sha256.Sum256([]byte(strings.Join(parts[:], "\x00")))
		want := hex.EncodeToString(sum[:16])
		if got := Fingerprint(parts[0], parts[1], parts[2], parts[3], parts[4]); got != want {
			t.Errorf("Fingerprint(%q) = %s, want %s", parts, got, want)
		}
	}
}
