package textdiff

import (
	"fmt"
	"strings"
)

// Unified returns the unified diff (3 lines of context) turning a into
// b, both the contents of file name; "" when they are equal. Files here
// are configuration files of at most some thousand lines, so the longest
// common subsequence table (lines of a × lines of b) is small; a
// hand-written diff avoids a dependency for one --dry-run.
func Unified(name, a, b string) string {
	if a == b {
		return ""
	}
	x, y := SplitLines(a), SplitLines(b)
	all := Lines(x, y)
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- a/%s\n+++ b/%s\n", name, name)
	const ctx = 3
	// Hunks: runs of changes with up to 2*ctx unchanged lines between.
	for i := 0; i < len(all); {
		if all[i].Kind == ' ' {
			i++
			continue
		}
		start := max(i-ctx, 0)
		end := i
		for end < len(all) {
			if all[end].Kind != ' ' {
				end++
				continue
			}
			j := end
			for j < len(all) && all[j].Kind == ' ' {
				j++
			}
			if j == len(all) || j-end > 2*ctx {
				break
			}
			end = j
		}
		stop := min(end+ctx, len(all))
		aLine, bLine := 1, 1
		for _, o := range all[:start] {
			if o.Kind != '+' {
				aLine++
			}
			if o.Kind != '-' {
				bLine++
			}
		}
		aN, bN := 0, 0
		for _, o := range all[start:stop] {
			if o.Kind != '+' {
				aN++
			}
			if o.Kind != '-' {
				bN++
			}
		}
		fmt.Fprintf(&sb, "@@ -%s +%s @@\n", hunkRange(aLine, aN), hunkRange(bLine, bN))
		for _, o := range all[start:stop] {
			sb.WriteByte(o.Kind)
			sb.WriteString(o.Line)
			if !strings.HasSuffix(o.Line, "\n") {
				sb.WriteString("\n\\ No newline at end of file\n")
			}
		}
		i = stop
	}
	return sb.String()
}

// Op is one line of an edit script: Kind ' ' (kept), '-' (deleted) or
// '+' (inserted), and the line with its newline.
type Op struct {
	Kind byte
	Line string
}

func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start-1)
	}
	if n == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}

// SplitLines splits s after each newline, keeping them.
func SplitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// Lines returns the edit script turning x into y by their longest common
// subsequence.
func Lines(x, y []string) []Op {
	// Common prefix and suffix first: a fix changes a few lines.
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	ops := make([]Op, 0, max(len(x), len(y)))
	for i := range pre {
		ops = append(ops, Op{' ', x[i]})
	}
	ops = append(ops, lcs(x[pre:len(x)-suf], y[pre:len(y)-suf])...)
	for i := len(x) - suf; i < len(x); i++ {
		ops = append(ops, Op{' ', x[i]})
	}
	return ops
}

func lcs(x, y []string) []Op {
	n, m := len(x), len(y)
	t := make([][]int, n+1)
	for i := range t {
		t[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	var ops []Op
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			ops = append(ops, Op{' ', x[i]})
			i++
			j++
		case i < n && (j == m || t[i+1][j] >= t[i][j+1]):
			ops = append(ops, Op{'-', x[i]})
			i++
		default:
			ops = append(ops, Op{'+', y[j]})
			j++
		}
	}
	return ops
}
