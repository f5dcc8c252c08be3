package model

import (
	"strconv"
	"strings"
)

// ParseTLSVersion reads a TLS version as written in any of the formats as
// tenths: "1.2", "1.0", "1", "TLS1_2", "TLSv1.2", "tls12" all work, and 1.2
// is 12. ok is false for anything else.
func ParseTLSVersion(v string) (tenths int, ok bool) {
	s := strings.ToUpper(strings.TrimSpace(v))
	s = strings.TrimPrefix(s, "TLS")
	s = strings.TrimPrefix(s, "V")
	s = strings.TrimLeft(s, " _")
	s = strings.ReplaceAll(s, "_", ".")
	if len(s) == 2 && s[0] >= '1' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' {
		s = s[:1] + "." + s[1:] // "12" from tls12
	}
	if major, minor, found := strings.Cut(s, "."); found {
		ma, err1 := strconv.Atoi(major)
		mi, err2 := strconv.Atoi(minor)
		if err1 == nil && err2 == nil && ma > 0 && ma < 10 && mi >= 0 && mi < 10 {
			return ma*10 + mi, true
		}
		return 0, false
	}
	if ma, err := strconv.Atoi(s); err == nil && ma > 0 && ma < 10 {
		return ma * 10, true
	}
	return 0, false
}
