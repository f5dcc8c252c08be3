package engine

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// errBadValue marks errors a check function returns for a value outside
// its domain (a TLS version it cannot read). Load ignores them when it
// evaluates a check on the sample app, whose strings are placeholders.
var errBadValue = errors.New("unrecognized value")

// checkFunctions are the functions checks may call besides CEL's standard
// library and ext.Strings. They are documented in doc.go.
func checkFunctions() []cel.EnvOption {
	return []cel.EnvOption{
		cel.Function("tls_below",
			cel.Overload("tls_below_dyn_string", []*cel.Type{cel.DynType, cel.StringType}, cel.BoolType,
				cel.BinaryBinding(func(version, minimum ref.Val) ref.Val {
					below, err := tlsBelow(version.Value(), string(minimum.(types.String)))
					if err != nil {
						return types.WrapErr(err)
					}
					return types.Bool(below)
				}))),
		cel.Function("version_below",
			cel.Overload("version_below_string_string", []*cel.Type{cel.StringType, cel.StringType}, cel.BoolType,
				cel.BinaryBinding(func(version, minimum ref.Val) ref.Val {
					below, err := versionBelow(string(version.(types.String)), string(minimum.(types.String)))
					if err != nil {
						return types.WrapErr(err)
					}
					return types.Bool(below)
				}))),
		cel.Function("is_keyvault_ref",
			cel.Overload("is_keyvault_ref_string", []*cel.Type{cel.StringType}, cel.BoolType,
				cel.UnaryBinding(func(v ref.Val) ref.Val {
					return types.Bool(isKeyVaultRef(string(v.(types.String))))
				}))),
		cel.Function("looks_secret",
			cel.Overload("looks_secret_string_string", []*cel.Type{cel.StringType, cel.StringType}, cel.BoolType,
				cel.BinaryBinding(func(name, value ref.Val) ref.Val {
					return types.Bool(looksSecret(string(name.(types.String)), string(value.(types.String))))
				}))),
	}
}

// versionBelow compares dotted version numbers component by component:
// "3.9" is below "3.11", "v8.0" and "~4" are read as 8.0 and 4, a missing
// component is 0 ("20" equals "20.0"), anything after the numbers
// ("8.0-preview", "17-LTS") is ignored.
func versionBelow(version, minimum string) (bool, error) {
	v, err := parseVersion(version)
	if err != nil {
		return false, err
	}
	m, err := parseVersion(minimum)
	if err != nil {
		return false, err
	}
	for i := range max(len(v), len(m)) {
		var a, b int
		if i < len(v) {
			a = v[i]
		}
		if i < len(m) {
			b = m[i]
		}
		if a != b {
			return a < b, nil
		}
	}
	return false, nil
}

func parseVersion(s string) ([]int, error) {
	t := strings.TrimLeft(strings.ToLower(strings.TrimSpace(s)), "v~^=")
	var out []int
	for part := range strings.SplitSeq(t, ".") {
		end := 0
		for end < len(part) && part[end] >= '0' && part[end] <= '9' {
			end++
		}
		if end == 0 {
			break
		}
		n, err := strconv.Atoi(part[:end])
		if err != nil {
			return nil, fmt.Errorf("version_below: %w: version %q", errBadValue, s)
		}
		out = append(out, n)
		if end < len(part) {
			break
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("version_below: %w: version %q", errBadValue, s)
	}
	return out, nil
}

// tlsBelow reports whether version is below minimum. Both are read by
// parseTLS; TLS 1.3 and later are never below anything.
func tlsBelow(version any, minimum string) (bool, error) {
	v, err := parseTLS(version)
	if err != nil {
		return false, err
	}
	m, err := parseTLS(minimum)
	if err != nil {
		return false, err
	}
	if v >= 13 {
		return false, nil
	}
	return v < m, nil
}

// parseTLS reads a TLS version as tenths: "1.2", "1.0", 1.2 (a number), 1,
// "TLS1_2", "TLSv1.2", "tls12" all work. 1.2 is 12.
func parseTLS(v any) (int, error) {
	switch x := v.(type) {
	case float64:
		if x > 0 && x < 10 {
			return int(math.Round(x * 10)), nil
		}
	case int64:
		if x > 0 && x < 10 {
			return int(x) * 10, nil
		}
	case uint64:
		if x > 0 && x < 10 {
			return int(x) * 10, nil
		}
	case string:
		if n, ok := model.ParseTLSVersion(x); ok {
			return n, nil
		}
		return 0, fmt.Errorf("tls_below: %w: TLS version %q", errBadValue, x)
	}
	return 0, fmt.Errorf("tls_below: %w: TLS version of type %T", errBadValue, v)
}

// isKeyVaultRef reports whether v is an App Service Key Vault reference,
// @Microsoft.KeyVault(...), ignoring case and surrounding whitespace.
func isKeyVaultRef(v string) bool {
	s := strings.TrimSpace(v)
	const prefix = "@microsoft.keyvault"
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return false
	}
	return strings.HasPrefix(strings.TrimSpace(s[len(prefix):]), "(")
}

// Credential shapes: a value holding one of these is a secret whatever the
// setting is called. Each key=value shape needs a non-placeholder value.
var (
	credentialParam = regexp.MustCompile(`(?i)(?:^|[;?&\s,])(accountkey|sharedaccesskey|sharedaccesssignature|sig|password|pwd)\s*=\s*([^;&\s,]*)`)
	jwtShape        = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)
	pemPrivateKey   = regexp.MustCompile(`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----`)
	urlUserinfo     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://[^/@\s:]*:([^/@\s]+)@`)
	urlSecretQuery  = regexp.MustCompile(`(?i)[?&](?:code|key|apikey|api_key|token|access_token|password|pwd|secret|client_secret|sig)=([^&#]+)`)
	numberShape     = regexp.MustCompile(`^[+-]?\d+(?:\.\d+)?$`)
	schemeShape     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://`)
)

// isSecretWord reports the words (after splitting a setting name) that make it
// look like it holds a secret; CONNECTIONSTRING is matched on the joined name.
func isSecretWord(w string) bool {
	switch w {
	case "KEY", "KEYS", "SECRET", "SECRETS", "PASSWORD", "PASSWORDS", "PASSWD", "PWD",
		"TOKEN", "TOKENS", "SAS", "CREDENTIAL", "CREDENTIALS", "APIKEY", "ACCOUNTKEY",
		"ACCESSKEY", "PRIVATEKEY", "CLIENTSECRET", "CONNSTR", "SIGNATURE":
		return true
	}
	return false
}

// isQualifierWord reports words that end a setting name that is about a secret without holding
// one: KEY_VAULT_URI, SharedAccessKeyName, FEATURE_TOKEN_ENABLED.
func isQualifierWord(w string) bool {
	switch w {
	case "NAME", "NAMES", "TYPE", "ID", "IDS", "URI", "URL", "ENABLED", "ENABLE",
		"DISABLED", "VERSION", "PATH", "HOST", "ENDPOINT", "EXPIRY", "EXPIRATION",
		"VAULT", "ISSUER", "AUDIENCE", "SCOPE", "HEADER", "LENGTH", "TTL", "TIMEOUT",
		"MODE", "REGION", "LOCATION", "PROVIDER", "FILE", "THUMBPRINT",
		"SECS", "SECONDS", "MINUTES", "HOURS", "DAYS", "STORAGE", "STORE":
		return true
	}
	return false
}

// isCountWord reports words that make a name about a count or a limit.
func isCountWord(w string) bool {
	switch w {
	case "MAX", "MIN", "NUM", "NUMBER", "COUNT", "LIMIT":
		return true
	}
	return false
}

// isNonSecretName reports well-known settings whose values are not
// credentials although their names say KEY: Application Insights
// instrumentation keys and connection strings are identifiers, not
// secrets. joined is the name's
// words run together in upper case.
func isNonSecretName(joined string) bool {
	// Application Insights connection strings hold the instrumentation key
	// and endpoints; Microsoft documents them as not a security token or key.
	return joined == "APPINSIGHTSINSTRUMENTATIONKEY" || joined == "APPLICATIONINSIGHTSCONNECTIONSTRING"
}

// isPlaceholderWord reports values that stand for a secret to be filled in.
func isPlaceholderWord(w string) bool {
	switch w {
	case "CHANGEME", "CHANGE_ME", "CHANGE-ME", "REPLACEME", "REPLACE_ME", "REPLACE-ME",
		"TODO", "TBD", "FIXME", "PLACEHOLDER", "NONE", "NULL", "NIL", "N/A", "NA",
		"UNSET", "EMPTY", "DUMMY", "REDACTED", "UNDEFINED":
		return true
	}
	return false
}

// looksSecret implements the catalog's secret detection for AZFUNC-030 on
// one setting: true when the value carries a credential shape, or when the
// name looks secret and the value is a real literal (not a Key Vault
// reference, empty, a placeholder, a boolean, a number or a URL without
// credentials). The caller decides that the value is a literal.
func looksSecret(name, value string) bool {
	v := strings.TrimSpace(value)
	if v == "" || isKeyVaultRef(v) || isPlaceholder(v) {
		return false
	}
	if hasCredentialShape(v) {
		return true
	}
	if !secretName(name) || isIdentityConnectionSetting(name) {
		return false
	}
	switch {
	case isBoolWord(v), isModeWord(v), numberShape.MatchString(v):
		return false
	case schemeShape.MatchString(v):
		return urlHasCredentials(v)
	}
	return true
}

// isIdentityConnectionSetting reports identity-based connection settings
// (ServiceBusConnection__credential = "managedidentity"): the secure
// replacement for a connection string, never a credential.
func isIdentityConnectionSetting(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, suffix := range [...]string{
		"__credential", "__clientid", "__accountname", "__serviceuri", "__blobserviceuri",
		"__queueserviceuri", "__tableserviceuri", "__fullyqualifiednamespace", "__tenantid",
	} {
		if strings.HasSuffix(n, suffix) {
			return true
		}
	}
	return false
}

// isModeWord reports values that select a mode and cannot be credentials
// (AzureWebJobsSecretStorageType = "keyvault", __credential =
// "managedidentity").
func isModeWord(v string) bool {
	switch strings.ToLower(v) {
	case "keyvault", "files", "blob", "disabled", "managedidentity", "systemassigned", "userassigned", "none":
		return true
	}
	return false
}

// hasCredentialShape reports whether v contains a connection-string key,
// SAS signature, password parameter, JWT, PEM private key or URL userinfo
// password.
func hasCredentialShape(v string) bool {
	// credentialParam, which has no literal prefix for the regexp
	// package to search for, needs an '=': most values have none, and
	// are not run through it.
	if strings.IndexByte(v, '=') >= 0 {
		for _, m := range credentialParam.FindAllStringSubmatch(v, -1) {
			if m[2] != "" && !isPlaceholder(m[2]) {
				return true
			}
		}
	}
	if jwtShape.MatchString(v) || pemPrivateKey.MatchString(v) {
		return true
	}
	if m := urlUserinfo.FindStringSubmatch(v); len(m) > 1 && !isPlaceholder(m[1]) {
		return true
	}
	return false
}

func urlHasCredentials(v string) bool {
	for _, m := range urlSecretQuery.FindAllStringSubmatch(v, -1) {
		if !isPlaceholder(m[1]) {
			return true
		}
	}
	return false
}

func isBoolWord(v string) bool {
	switch strings.ToLower(v) {
	case "true", "false", "yes", "no", "on", "off", "enabled", "disabled":
		return true
	}
	return false
}

// isPlaceholder reports whether v obviously stands for a value to fill in:
// <...>, {...}, ${...}, $(...), %...%, __...__, #{...}#, a single repeated
// character (xxx, ***), or a word like changeme.
func isPlaceholder(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" {
		return true
	}
	pairs := [][2]string{{"<", ">"}, {"{", "}"}, {"${", "}"}, {"$(", ")"}, {"%", "%"}, {"__", "__"}, {"#{", "}#"}, {"[", "]"}}
	for _, p := range pairs {
		if len(v) > len(p[0])+len(p[1]) && strings.HasPrefix(v, p[0]) && strings.HasSuffix(v, p[1]) {
			return true
		}
	}
	if strings.Count(v, v[:1]) == len(v) {
		return true
	}
	var h upperHead
	if head, ok := upperASCIIHead(&h, v); ok {
		// No word below is longer than the head: a longer value is none.
		if len(v) <= len(head) && isPlaceholderWord(string(head)) {
			return true
		}
		return hasAnyPrefix(string(head))
	}
	u := strings.ToUpper(v)
	if isPlaceholderWord(u) {
		return true
	}
	return hasAnyPrefix(u)
}

// hasAnyPrefix reports whether an upper-cased value starts the way a
// placeholder does.
func hasAnyPrefix(u string) bool {
	return strings.HasPrefix(u, "YOUR_") || strings.HasPrefix(u, "YOUR-") || strings.HasPrefix(u, "<YOUR")
}

// upperHead is room for the longest placeholder word (PLACEHOLDER).
type upperHead [11]byte

// upperASCIIHead returns, in h, the first bytes of an ASCII v (at most
// len(upperHead)), upper-cased as strings.ToUpper does, without
// allocating; ok is false when v is not ASCII.
func upperASCIIHead(h *upperHead, v string) (head []byte, ok bool) {
	for i := range len(v) {
		if v[i] >= utf8.RuneSelf {
			return nil, false
		}
	}
	n := copy(h[:], v)
	for i := range n {
		if c := h[i]; 'a' <= c && c <= 'z' {
			h[i] = c - 'a' + 'A'
		}
	}
	return h[:n], true
}

// secretName reports whether a setting name looks like it holds a secret.
func secretName(name string) bool {
	words := nameWords(name)
	if len(words) == 0 {
		return false
	}
	joined := strings.Join(words, "")
	if isNonSecretName(joined) {
		return false
	}
	if isQualifierWord(words[len(words)-1]) {
		return false
	}
	for _, w := range words {
		if isCountWord(w) {
			return false // MAX_TOKENS_PER_REQUEST, NUM_KEYS: a number of secrets, not one
		}
	}
	if strings.Contains(joined, "CONNECTIONSTRING") {
		return true
	}
	for _, w := range words {
		if isSecretWord(w) {
			return true
		}
		for _, suffix := range []string{"KEY", "SECRET", "PASSWORD", "TOKEN"} {
			if len(w) > len(suffix) && strings.HasSuffix(w, suffix) {
				return true
			}
		}
	}
	return false
}

// nameWords splits a setting name into upper-case words at separators and
// camel-case boundaries: "DbPassword" and "DB_PASSWORD" both give DB,
// PASSWORD; "APIKey" gives API, KEY.
func nameWords(name string) []string {
	for i := range len(name) {
		if name[i] >= utf8.RuneSelf {
			return nameWordsRunes(name)
		}
	}
	// An ASCII name (almost every one) is split the same way by its
	// bytes: each word is a slice of the name, upper-cased (allocating
	// only when it has a lower-case letter), with no runes to convert.
	var words []string
	start := -1 // where the current word starts; -1 between words
	flush := func(end int) {
		if start >= 0 {
			words = append(words, strings.ToUpper(name[start:end]))
			start = -1
		}
	}
	for i := range len(name) {
		c := name[i]
		if !isASCIILetter(c) && !isASCIIDigit(c) {
			flush(i)
			continue
		}
		if i > 0 && isASCIIUpper(c) && start >= 0 {
			prev := name[i-1]
			nextLower := i+1 < len(name) && isASCIILower(name[i+1])
			if isASCIILower(prev) || isASCIIDigit(prev) || (isASCIIUpper(prev) && nextLower) {
				flush(i)
			}
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(name))
	return words
}

func isASCIIUpper(c byte) bool  { return 'A' <= c && c <= 'Z' }
func isASCIILower(c byte) bool  { return 'a' <= c && c <= 'z' }
func isASCIILetter(c byte) bool { return isASCIIUpper(c) || isASCIILower(c) }
func isASCIIDigit(c byte) bool  { return '0' <= c && c <= '9' }

// nameWordsRunes is nameWords of any name, rune by rune.
func nameWordsRunes(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToUpper(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if i > 0 && unicode.IsUpper(r) && len(cur) > 0 {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}
