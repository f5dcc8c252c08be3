package model

import "testing"

func TestParseTLSVersion(t *testing.T) {
	for in, want := range map[string]int{
		"1.2": 12, "\t1.0\n": 10, "1": 10, "1.3": 13, "TLS1_2": 12, "TLSv1.2": 12, "tls12": 12, "Tls1_0": 10, "TLS_1_1": 11,
	} {
		if got, ok := ParseTLSVersion(in); !ok || got != want {
			t.Errorf("ParseTLSVersion(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "high", "1.2.3", "10.1", "0.9", "TLS", "1.x"} {
		if got, ok := ParseTLSVersion(in); ok {
			t.Errorf("ParseTLSVersion(%q) = %d, true; want not a version", in, got)
		}
	}
}
