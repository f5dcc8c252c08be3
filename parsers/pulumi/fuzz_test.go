package pulumi

import (
	"context"
	"testing"
)

// FuzzLoadFile feeds arbitrary stack exports to the loader (through
// Options.ReadFile: no disk): it must never panic, and every diagnostic
// names the file. The seeds are small so that the fuzzer's minimization
// of new inputs stays quick (see .ci/fuzz.sh).
func FuzzLoadFile(f *testing.F) {
	for _, s := range []string{
		`{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:dev::p::azure-native:web:WebApp::app","type":"azure-native:web:WebApp","inputs":{"kind":"functionapp","httpsOnly":false,"siteConfig":{"cors":{"allowedOrigins":["*"]}}},"outputs":{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/sites/app"}}]}}`,
		`{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:dev::p::azure:appservice/linuxFunctionApp:LinuxFunctionApp::f","type":"azure:appservice/linuxFunctionApp:LinuxFunctionApp","inputs":{"appSettings":{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","value":{"K":"v"}},"siteConfig":{}},"outputs":{}}],"pending_operations":[{"resource":{"urn":"x"},"type":"creating"}]}}`,
		`{"version":3,"deployment":{"resources":[{"urn":"u","type":"azure-native:web:WebAppSlot","parent":"u","inputs":{"name":{"4dabf18193072939515e22adb298388d":"5cf8f73096256a8f31e491e813e4eb8e"}},"dependencies":["u"]}]}}`,
		`{"version":3,"deployment":{"resources":[{"urn":"a","type":"azure-native:network:PrivateEndpoint","inputs":{"privateLinkServiceConnections":[{"privateLinkServiceId":"[1]"}]}}]}}`,
		`{"version":3}`,
		`[]`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		read := func(string) ([]byte, error) { return []byte(src), nil }
		_, diags := LoadFileWith(context.Background(), "dev.stack.json", Options{ReadFile: read})
		for _, d := range diags {
			if d.Summary == "internal error" || d.Range.Filename != "dev.stack.json" {
				t.Fatalf("on %q: %+v", src, d)
			}
		}
	})
}
