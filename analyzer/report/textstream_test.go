package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// recorder keeps what each Write was given.
type recorder struct{ writes [][]byte }

func (r *recorder) Write(p []byte) (int, error) {
	r.writes = append(r.writes, bytes.Clone(p))
	return len(p), nil
}

// TestWriteTextStreams: a large text report is written as it is made, in
// pieces of about textFlushSize ending with whole findings, each finding
// with its snippet, and the pieces make the report; so are the compact
// and GitHub forms.
func TestWriteTextStreams(t *testing.T) {
	dir := t.TempDir()
	var fs []engine.Finding
	for f := range 3 {
		path := filepath.Join(dir, fmt.Sprintf("f%d.tf", f))
		var src strings.Builder
		for l := range 2000 {
			fmt.Fprintf(&src, "  https_only = false # file %d line %d\n", f, l+1)
		}
		if err := os.WriteFile(path, []byte(src.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		for l := range 2000 {
			fs = append(fs, engine.Finding{CheckID: "AZFUNC-040", Severity: engine.High, Status: engine.Fail, Message: "m",
				Range:    model.Range{Filename: filepath.ToSlash(path), Start: model.Pos{Line: l + 1, Column: 3}, End: model.Pos{Line: l + 1, Column: 13}},
				Resource: "azurerm_linux_function_app.a", Path: "https_only", Fingerprint: fmt.Sprint(f, l)})
		}
	}
	r := &Report{Findings: fs}
	var rec recorder
	if err := WriteText(&rec, r, TextOptions{Snippets: true}); err != nil {
		t.Fatal(err)
	}
	if len(rec.writes) < 3 {
		t.Fatalf("%d writes for %d findings", len(rec.writes), len(fs))
	}
	all := bytes.Join(rec.writes, nil)
	for i, w := range rec.writes[:len(rec.writes)-1] {
		if len(w) > textFlushSize+1024 || !bytes.HasSuffix(w, []byte("^^^^^^^^^^\n")) {
			t.Errorf("write %d: %d bytes, ending %q", i, len(w), w[max(0, len(w)-20):])
		}
	}
	// The compact and GitHub forms too, one line per finding.
	for name, write := range map[string]func(*recorder) error{
		"compact": func(w *recorder) error { return WriteCompact(w, r) },
		"github":  func(w *recorder) error { return WriteGitHub(w, r) },
	} {
		var rec recorder
		if err := write(&rec); err != nil {
			t.Fatal(err)
		}
		if len(rec.writes) < 3 {
			t.Errorf("%s: %d writes for %d findings", name, len(rec.writes), len(fs))
		}
		for i, w := range rec.writes {
			if len(w) > textFlushSize+1024 || !bytes.HasSuffix(w, []byte("\n")) {
				t.Errorf("%s: write %d: %d bytes", name, i, len(w))
			}
		}
		if n := bytes.Count(bytes.Join(rec.writes, nil), []byte("AZFUNC-040")); n != len(fs) {
			t.Errorf("%s: %d findings written, want %d", name, n, len(fs))
		}
	}
	for f := range 3 {
		for _, l := range []int{1, 1000, 2000} {
			want := fmt.Sprintf("f%d.tf:%d:3: high AZFUNC-040 m [azurerm_linux_function_app.a]\n  %d |   https_only = false # file %d line %d\n", f, l, l, f, l)
			if !bytes.Contains(all, []byte(want)) {
				t.Errorf("no %q in the report", want)
			}
		}
	}
}

// TestSnippetFileCache: the snippet cache holds the file of the last
// snippet only; another file's snippet drops it.
func TestSnippetFileCache(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.tf"), filepath.Join(dir, "b.tf")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, []byte("one\r\ntwo\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tw := &textWriter{}
	if got := tw.fileLines(a); len(got) != 3 || got[1] != "two" {
		t.Fatalf("lines %q", got)
	}
	if err := os.WriteFile(a, []byte("changed\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := tw.fileLines(a); got[0] != "one" {
		t.Errorf("a read again for the next snippet: %q", got)
	}
	tw.fileLines(b)
	if tw.path != b {
		t.Errorf("cache holds %s", tw.path)
	}
	if got := tw.fileLines(a); got[0] != "changed" {
		t.Errorf("a after b: %q, want it read again", got)
	}
	if got := tw.fileLines(filepath.Join(dir, "missing.tf")); got != nil {
		t.Errorf("missing file: %q", got)
	}
}
