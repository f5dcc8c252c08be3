package engine

// Closest returns the candidate nearest to a misspelt name, or "" when
// none is near enough to be what was meant (for "did you mean …?").
func Closest(name string, candidates []string) string {
	best, bestD := "", 0
	for _, c := range candidates {
		d := editDistance(name, c)
		if best == "" || d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > 3 || bestD > max(1, len(name)/2) {
		return ""
	}
	return best
}
