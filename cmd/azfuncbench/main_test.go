package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCounters(t *testing.T) {
	cases := []struct {
		name  string
		count func([]byte) (int, error)
		out   string
		want  int
	}{
		{"sarif", countSARIF, `{"runs":[{"results":[{},{}]},{"results":[{}]},{}]}`, 3},
		{"tfsec", countTfsec, `{"results":[{"rule_id":"a"},{"rule_id":"b"}]}`, 2},
		{"tfsec none", countTfsec, `{"results":null}`, 0},
		{"trivy", countTrivy, `{"Results":[{"Misconfigurations":[{"Status":"FAIL"},{"Status":"PASS"}]},{"Misconfigurations":[{"Status":"FAIL"}]}]}`, 2},
		{"floor", countLine, "1000\n", 1000},
		{"kics", countKICS, `{"kics_version":"v2.1.16","total_counter":4815,"queries":[]}`, 4815},
	}
	for _, c := range cases {
		got, err := c.count([]byte(c.out))
		if err != nil || got != c.want {
			t.Errorf("%s: %d, %v; want %d", c.name, got, err, c.want)
		}
	}
	if _, err := countKICS([]byte(`{"queries":[]}`)); err == nil {
		t.Error("countKICS accepted a report without total_counter")
	}
	if _, err := countSARIF([]byte("not json")); err == nil {
		t.Error("countSARIF accepted output that is not JSON")
	}
}

// A row gives the median, the range of the runs and the ratios of the
// median to the floor's and to azfuncscan's.
func TestRow(t *testing.T) {
	floorRes := result{wall: 500 * time.Millisecond, lo: 400 * time.Millisecond, hi: 600 * time.Millisecond, rssKB: 9 << 10, findings: 1000}
	scanRes := result{wall: time.Second, lo: 900 * time.Millisecond, hi: 1500 * time.Millisecond, rssKB: 74 << 10, findings: 30293}
	peer := result{wall: 50 * time.Second, lo: 49 * time.Second, hi: 52 * time.Second, rssKB: 820 << 10, findings: 11699}
	// Measured in alternation with the floor: the ratios of the pairs.
	paired := scanRes
	paired.toFloor, paired.toFloorLo, paired.toFloorHi = 1.9, 1.75, 2.5
	for _, c := range []struct {
		name string
		r    result
		want string
	}{
		{"floor", floorRes, "| 1k ARM | 1000 | floor | 0.50 s | 0.40-0.60 s | 9 MB | 1000 | 1× |  |"},
		{"azfuncscan", scanRes, "| 1k ARM | 1000 | azfuncscan | 1.00 s | 0.90-1.50 s | 74 MB | 30293 | 2.00× | 1× |"},
		{"trivy", peer, "| 1k ARM | 1000 | trivy | 50.00 s | 49.00-52.00 s | 820 MB | 11699 | 100.00× | 50.00× |"},
		{"azfuncscan", paired, "| 1k ARM | 1000 | azfuncscan | 1.00 s | 0.90-1.50 s | 74 MB | 30293 | 1.90× (1.75-2.50) | 1× |"},
	} {
		if got := row("1k ARM", 1000, c.name, c.r, floorRes, scanRes); got != c.want {
			t.Errorf("row(%s) =\n%s\nwant\n%s", c.name, got, c.want)
		}
	}
}

// The ratio to the floor of runs made in alternation is taken pair by
// pair: a drift that slows both halves of a pair leaves its ratio.
func TestPairedRatios(t *testing.T) {
	ms := func(xs ...int) []time.Duration {
		out := make([]time.Duration, len(xs))
		for i, x := range xs {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	// The VM is twice as slow for the last two pairs: the medians'
	// ratio is 320/200 = 1.6, the pairs' are 1.5, 1.5 and 1.6.
	med, lo, hi := pairedRatios(ms(100, 200, 200), ms(150, 300, 320))
	near := func(x, y float64) bool { return math.Abs(x-y) < 1e-9 }
	if !near(med, 1.5) || !near(lo, 1.5) || !near(hi, 1.6) {
		t.Errorf("pairedRatios = %v, %v, %v; want 1.5, 1.5, 1.6", med, lo, hi)
	}
	if med, lo, hi := pairedRatios(nil, ms(1)); med != 0 || lo != 0 || hi != 0 {
		t.Errorf("pairedRatios of no pairs = %v, %v, %v; want zeros", med, lo, hi)
	}
}

func TestMedian(t *testing.T) {
	if got := median([]time.Duration{3, 1, 2}); got != 2 {
		t.Errorf("median = %v, want 2", got)
	}
	if got := median(nil); got != 0 {
		t.Errorf("median(nil) = %v", got)
	}
}

// The floor parses every .tf and .json file and fails on one that does
// not parse.
func TestFloor(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("main.tf", "resource \"a\" \"b\" {\n  x = 1\n}\n")
	write("t.json", `{"a":[1,2]}`)
	write("README.md", "# not parsed")
	var out bytes.Buffer
	if err := floor([]string{dir}, &out); err != nil || out.String() != "2\n" {
		t.Fatalf("floor = %q, %v; want 2", out.String(), err)
	}
	write("bad.tf", "resource \"a\" {")
	if err := floor([]string{dir}, &out); err == nil {
		t.Error("floor accepted a .tf file that does not parse")
	}
}

// TestSelected: -corpora names a corpus whole or up to its parenthesis,
// so the monorepo, whose name holds a comma, can be picked.
func TestSelected(t *testing.T) {
	for _, tc := range []struct {
		list, name string
		want       bool
	}{
		{"1k ARM", "1k ARM", true},
		{"10k .tf,1k ARM", "1k ARM", true},
		{"1k .tf", "10k .tf", false},
		{"1k", "1k .tf", false},
		{"monorepo", "monorepo (1k .tf, noise 0.9)", true},
		{"1k ARM, monorepo", "monorepo (1k .tf, noise 0.9)", true},
		{"1k .tf", "monorepo (1k .tf, noise 0.9)", false},
	} {
		if got := selected(tc.list, tc.name); got != tc.want {
			t.Errorf("selected(%q, %q) = %v", tc.list, tc.name, got)
		}
	}
	// Every corpus can be picked by the part of its name before any
	// parenthesis.
	for _, c := range corpora() {
		if short, _, _ := strings.Cut(c.name, " ("); !selected(short, c.name) {
			t.Errorf("%q is not picked by %q", c.name, short)
		}
	}
}
