package ignore

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// marker starts every directive comment.
const marker = "azfuncscan:ignore"

// idRe is the form of a check id (case-insensitive here; ids are upper-cased).
var idRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*-[0-9]{3,}$`)

// directive is a parsed azfuncscan:ignore comment.
type directive struct {
	ids     []string
	expires time.Time
	reason  string
}

// commentText strips the comment markers of an HCL or Bicep comment.
func commentText(c string) string {
	c = strings.TrimSpace(c)
	switch {
	case strings.HasPrefix(c, "#"):
		c = c[1:]
	case strings.HasPrefix(c, "//"):
		c = c[2:]
	case strings.HasPrefix(c, "/*"):
		c = strings.TrimSuffix(c[2:], "*/")
	}
	return strings.TrimSpace(c)
}

// isDirective reports whether a comment's text is meant as a directive:
// it starts with the marker.
func isDirective(text string) bool {
	return strings.HasPrefix(text, marker)
}

// parseDirective parses the text of a directive comment (markers
// stripped): azfuncscan:ignore[ID,…] [exp:YYYY-MM-DD] reason.
func parseDirective(text string) (directive, error) {
	var d directive
	rest := strings.TrimPrefix(text, marker)
	if !strings.HasPrefix(rest, "[") {
		return d, fmt.Errorf("want %s[CHECK-ID,…] and a reason", marker)
	}
	list, after, ok := strings.Cut(rest[1:], "]")
	if !ok {
		return d, fmt.Errorf("%s[ is not closed by ]", marker)
	}
	ids, err := parseIDs(strings.Split(list, ","))
	if err != nil {
		return d, err
	}
	d.ids = ids
	if after != "" && after[0] != ' ' && after[0] != '\t' && after[0] != '\n' && after[0] != '\r' {
		return d, fmt.Errorf("want a space after %s[…]", marker)
	}
	words := strings.Fields(after)
	if len(words) > 0 && strings.HasPrefix(words[0], "exp:") {
		exp, err := parseDate(strings.TrimPrefix(words[0], "exp:"))
		if err != nil {
			return d, fmt.Errorf("exp: %w", err)
		}
		d.expires = exp
		words = words[1:]
	}
	d.reason = strings.Join(words, " ")
	return d, nil
}

// parseIDs checks and upper-cases check ids.
func parseIDs(list []string) ([]string, error) {
	var ids []string
	for _, id := range list {
		id = strings.TrimSpace(id)
		if !idRe.MatchString(id) {
			if id == "" {
				return nil, fmt.Errorf("empty check id in %s[…]", marker)
			}
			return nil, fmt.Errorf("%q is not a check id (want e.g. AZFUNC-040)", id)
		}
		ids = append(ids, strings.ToUpper(id))
	}
	return ids, nil
}

// parseDate parses YYYY-MM-DD as midnight UTC.
func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	return t, nil
}
