// Package glob matches the patterns of the configuration file and of
// external ignores: paths (`**` crosses directories) and names such as
// resource addresses and check ids (`*` matches anything).
package glob

import (
	"strings"
	"unicode/utf8"
)

// Path reports whether a forward-slash relative path matches pattern: `*`
// matches any run of characters but '/', `?` one character but '/', `**`
// any run of characters including '/' (`a/**/b` matches a/b too); every
// other character is itself. A path also matches when one of its parent
// directories does (legacy matches legacy/main.tf). A leading "./" in
// either is ignored.
func Path(pattern, name string) bool {
	pattern = strings.TrimPrefix(pattern, "./")
	name = strings.TrimPrefix(name, "./")
	pattern = strings.TrimSuffix(pattern, "/")
	if match(pattern, name, '/') {
		return true
	}
	for i := 0; i < len(name); i++ {
		if name[i] == '/' && match(pattern, name[:i], '/') {
			return true
		}
	}
	return false
}

// Name reports whether name matches pattern, where `*` matches any run of
// characters and `?` any one; brackets and dots are themselves, so
// module.app["a"].* is a pattern for resource addresses. An empty pattern
// matches everything.
func Name(pattern, name string) bool {
	return pattern == "" || match(pattern, name, 0)
}

// Valid reports a problem with a pattern, or "" (a '/' at the start: the
// patterns are relative).
func Valid(pattern string) string {
	if strings.HasPrefix(pattern, "/") {
		return "a pattern is relative to the configuration file's directory; remove the leading /"
	}
	return ""
}

// match matches pattern against s; sep (0 for none) is the character *
// and ? do not match.
func match(p, s string, sep byte) bool {
	for len(p) > 0 {
		switch {
		case strings.HasPrefix(p, "**"):
			p = strings.TrimLeft(p, "*")
			if sep != 0 && strings.HasPrefix(p, string(sep)) {
				// **/ matches zero or more directories.
				rest := p[1:]
				if match(rest, s, sep) {
					return true
				}
				for i := 0; i < len(s); i++ {
					if s[i] == sep && match(rest, s[i+1:], sep) {
						return true
					}
				}
				return false
			}
			for i := 0; i <= len(s); i++ {
				if match(p, s[i:], sep) {
					return true
				}
			}
			return false
		case p[0] == '*':
			p = p[1:]
			for i := 0; ; i++ {
				if match(p, s[i:], sep) {
					return true
				}
				if i == len(s) || (sep != 0 && s[i] == sep) {
					return false
				}
			}
		case p[0] == '?':
			if len(s) == 0 || (sep != 0 && s[0] == sep) {
				return false
			}
			_, n := utf8.DecodeRuneInString(s)
			p, s = p[1:], s[n:]
		default:
			if len(s) == 0 || p[0] != s[0] {
				return false
			}
			p, s = p[1:], s[1:]
		}
	}
	return len(s) == 0
}
