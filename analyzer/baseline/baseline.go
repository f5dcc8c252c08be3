// Package baseline records the findings of a scan by fingerprint
// (--write-baseline) so that later scans report only new ones
// (--baseline). A fingerprint is derived from check id, root, file,
// resource address and attribute path, never from line numbers, so
// edits that move lines do not bring baselined findings back.
//
// The file is JSON:
//
//	{
//	  "version": 1,
//	  "tool": {"name": "azfuncscan", "version": "…"},
//	  "findings": [
//	    {"check_id", "fingerprint", "root", "resource", "path"}   // sorted by fingerprint
//	  ]
//	}
//
// Only the fingerprint decides; the other fields say what was accepted, for
// people reviewing the file. No value, line or secret is recorded.
package baseline

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
)

// Version is the version of the baseline format.
const Version = 1

// File is a baseline.
type File struct {
	Version  int     `json:"version"`
	Tool     Tool    `json:"tool"`
	Findings []Entry `json:"findings"`

	seen map[string]bool // fingerprints in Findings, for Add
}

// Tool names the program that wrote a baseline.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Entry is one accepted finding.
type Entry struct {
	CheckID     string `json:"check_id"`
	Fingerprint string `json:"fingerprint"`
	Root        string `json:"root"`
	Resource    string `json:"resource"`
	Path        string `json:"path"`
}

// New records the findings no ignore suppresses (a suppressed finding
// whose ignore expires should come back), once per fingerprint, sorted.
func New(tool Tool, findings []engine.Finding) *File {
	b := &File{Version: Version, Tool: tool, Findings: []Entry{}}
	b.Add(findings)
	b.sort()
	return b
}

// Add records more findings as New does (a large scan's modules, one
// after the other); Write sorts the entries.
func (b *File) Add(findings []engine.Finding) {
	seen := b.known()
	for i := range findings {
		f := &findings[i]
		if f.Suppressed != nil || f.Fingerprint == "" || seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		b.Findings = append(b.Findings, Entry{CheckID: f.CheckID, Fingerprint: f.Fingerprint, Root: f.Root, Resource: f.Resource, Path: f.Path})
	}
}

// known returns the fingerprints of the entries, as a set kept with
// them.
func (b *File) known() map[string]bool {
	if b.seen == nil {
		b.seen = make(map[string]bool, len(b.Findings))
		for _, e := range b.Findings {
			b.seen[e.Fingerprint] = true
		}
	}
	return b.seen
}

func (b *File) sort() {
	slices.SortFunc(b.Findings, func(x, y Entry) int {
		return cmp.Or(cmp.Compare(x.Fingerprint, y.Fingerprint), cmp.Compare(x.CheckID, y.CheckID))
	})
}

// Write writes the baseline as indented JSON.
func (b *File) Write(w io.Writer) error {
	b.sort()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	return nil
}

// Read reads a baseline file.
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	var b File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("baseline %s: not JSON at byte %d: %w", path, se.Offset, err)
		}
		return nil, fmt.Errorf("baseline %s: %w", path, err)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("baseline %s: version %d, want %d (write it again with --write-baseline)", path, b.Version, Version)
	}
	return &b, nil
}

// Filter returns the findings not in the baseline, in order, and how many
// were left out.
func (b *File) Filter(findings []engine.Finding) (kept []engine.Finding, baselined int) {
	known := b.known()
	kept = make([]engine.Finding, 0, len(findings))
	for i := range findings {
		if known[findings[i].Fingerprint] {
			baselined++
			continue
		}
		kept = append(kept, findings[i])
	}
	return kept, baselined
}
