package armexpr

import (
	"strconv"
	"strings"
)

// fnFormat implements format() with .NET composite formatting:
// {index[,alignment][:formatString]}, "{{" and "}}" for braces. Numeric
// format strings D, N, F, X and G (with precision) and custom zero
// patterns ("000") are supported; others print the plain value.
func fnFormat(cc *callCtx, args []Value) (Value, error) {
	if u, ok := args[0].(Unknown); ok {
		u.Parts = nil
		return u, nil
	}
	f, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	vals := args[1:]
	var pieces []Value
	var lit strings.Builder
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch c {
		case '{':
			if i+1 < len(f) && f[i+1] == '{' {
				lit.WriteByte('{')
				i++
				continue
			}
			end := strings.IndexByte(f[i:], '}')
			if end < 0 {
				return nil, cc.errorf("format string %q has an unclosed '{'", f)
			}
			item := f[i+1 : i+end]
			i += end
			v, err := formatItem(cc, item, vals)
			if err != nil {
				return nil, err
			}
			if lit.Len() > 0 {
				pieces = append(pieces, lit.String())
				lit.Reset()
			}
			pieces = append(pieces, v)
		case '}':
			if i+1 < len(f) && f[i+1] == '}' {
				lit.WriteByte('}')
				i++
				continue
			}
			return nil, cc.errorf("format string %q has an unmatched '}'", f)
		default:
			lit.WriteByte(c)
		}
	}
	if lit.Len() > 0 {
		pieces = append(pieces, lit.String())
	}
	if len(pieces) == 0 {
		return "", nil
	}
	return buildString(cc, pieces)
}

// formatItem formats one "index[,alignment][:format]" item; an Unknown
// argument stays Unknown.
func formatItem(cc *callCtx, item string, vals []Value) (Value, error) {
	spec := ""
	if j := strings.IndexByte(item, ':'); j >= 0 {
		item, spec = item[:j], item[j+1:]
	}
	align := 0
	if j := strings.IndexByte(item, ','); j >= 0 {
		a, err := strconv.Atoi(strings.TrimSpace(item[j+1:]))
		if err != nil {
			return nil, cc.errorf("invalid alignment in format item {%s}", item)
		}
		if a > 1000 || a < -1000 {
			return nil, cc.errorf("alignment %d is too large", a)
		}
		align = a
		item = item[:j]
	}
	idx, err := strconv.Atoi(strings.TrimSpace(item))
	if err != nil || idx < 0 {
		return nil, cc.errorf("invalid format item {%s}", item)
	}
	if idx >= len(vals) {
		return nil, cc.errorf("format item {%d} refers to a missing argument (there are %d)", idx, len(vals))
	}
	v := vals[idx]
	if u, ok := v.(Unknown); ok {
		return u, nil
	}
	s, err := formatValue(cc, v, spec)
	if err != nil {
		return nil, err
	}
	if n := len16(s); align > n {
		s = strings.Repeat(" ", align-n) + s
	} else if -align > n {
		s += strings.Repeat(" ", -align-n)
	}
	return s, nil
}

func formatValue(cc *callCtx, v Value, spec string) (string, error) {
	switch t := v.(type) {
	case int64:
		return formatInt(t, spec), nil
	case float64:
		return formatFloatSpec(t, spec), nil
	case []any, *Object:
		s, err := toJSON(cc.e, v)
		if err != nil {
			return "", cc.errorf("%v", err)
		}
		return s, nil
	}
	s, _ := scalarString(v)
	return s, nil
}

// precision parses the digits after a standard format letter.
func precision(spec string, def int) (int, bool) {
	if len(spec) == 1 {
		return def, true
	}
	p, err := strconv.Atoi(spec[1:])
	if err != nil || p < 0 || p > 99 {
		return 0, false
	}
	return p, true
}

func formatInt(n int64, spec string) string {
	if spec == "" {
		return strconv.FormatInt(n, 10)
	}
	switch spec[0] {
	case 'D', 'd':
		p, ok := precision(spec, 0)
		if !ok {
			break
		}
		digits := strconv.FormatUint(absUint(n), 10)
		if len(digits) < p {
			digits = strings.Repeat("0", p-len(digits)) + digits
		}
		if n < 0 {
			return "-" + digits
		}
		return digits
	case 'N', 'n':
		p, ok := precision(spec, 2)
		if !ok {
			break
		}
		s := groupThousands(strconv.FormatUint(absUint(n), 10))
		if p > 0 {
			s += "." + strings.Repeat("0", p)
		}
		if n < 0 {
			return "-" + s
		}
		return s
	case 'F', 'f':
		p, ok := precision(spec, 2)
		if !ok {
			break
		}
		return strconv.FormatFloat(float64(n), 'f', p, 64)
	case 'X', 'x':
		p, ok := precision(spec, 0)
		if !ok {
			break
		}
		s := strconv.FormatUint(uint64(n), 16) //nolint:gosec // .NET prints negative numbers in two's complement
		if spec[0] == 'X' {
			s = strings.ToUpper(s)
		}
		if len(s) < p {
			s = strings.Repeat("0", p-len(s)) + s
		}
		return s
	case 'G', 'g':
		return strconv.FormatInt(n, 10)
	case '0', '#':
		if strings.Trim(spec, "0#") == "" {
			zeros := strings.Count(spec, "0")
			digits := strconv.FormatUint(absUint(n), 10)
			if len(digits) < zeros {
				digits = strings.Repeat("0", zeros-len(digits)) + digits
			}
			if n < 0 {
				return "-" + digits
			}
			return digits
		}
	}
	return strconv.FormatInt(n, 10)
}

func formatFloatSpec(f float64, spec string) string {
	if spec != "" {
		switch spec[0] {
		case 'F', 'f':
			if p, ok := precision(spec, 2); ok {
				return strconv.FormatFloat(f, 'f', p, 64)
			}
		case 'N', 'n':
			if p, ok := precision(spec, 2); ok {
				s := strconv.FormatFloat(f, 'f', p, 64)
				neg := strings.HasPrefix(s, "-")
				s = strings.TrimPrefix(s, "-")
				intPart, frac, _ := strings.Cut(s, ".")
				s = groupThousands(intPart)
				if frac != "" {
					s += "." + frac
				}
				if neg {
					s = "-" + s
				}
				return s
			}
		}
	}
	return formatFloat(f)
}

func absUint(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1 //nolint:gosec // magnitude of a negative int64, including the minimum
	}
	return uint64(n)
}

func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	lead := len(digits) % 3
	if lead > 0 {
		b.WriteString(digits[:lead])
	}
	for i := lead; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
