package main

import (
	"fmt"
	"strings"
)

// didYouMean returns ` (did you mean "x"?)` naming the candidate closest to
// word (ignoring case), or "" when none is close: at most a third of the
// word's letters differ, or a candidate starts with it.
func didYouMean(word string, candidates []string) string {
	w := strings.ToLower(word)
	best, bestD := "", 0
	for _, c := range candidates {
		d := editDistance(w, strings.ToLower(c))
		if best == "" || d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD == 0 {
		return ""
	}
	if bestD <= max(1, len(w)/3) {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	for _, c := range candidates {
		if len(w) >= 2 && strings.HasPrefix(strings.ToLower(c), w) {
			return fmt.Sprintf(" (did you mean %q?)", c)
		}
	}
	return ""
}

// editDistance is the optimal string alignment distance between a and b
// (bytes): insertions, deletions, substitutions and transpositions of
// adjacent letters (scna → scan) cost one each.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
