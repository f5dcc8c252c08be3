// Package textdiff compares texts line by line: the edit script of two
// line lists (longest common subsequence) and a unified diff, as
// `azfuncscan fix --dry-run` prints it. Inputs are configuration files of
// at most some thousand changed lines; the common prefix and suffix are
// taken out before the quadratic table is built.
package textdiff
