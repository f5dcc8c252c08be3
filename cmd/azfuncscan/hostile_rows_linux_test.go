//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Issue 13, "Done when": each input of the table, generated here
// beside a normal insecure app, is scanned by the built binary within
// 10 s and 500 MB peak RSS (from getrusage, see runMeasured), the
// normal app's findings are all reported, and the hostile file has one
// clear diagnostic. Unguarded, these inputs overflowed the stack, ran
// out of memory after a minute or blocked forever.
func TestHostileRows(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it on hostile inputs")
	}
	app, err := os.ReadFile(filepath.Join(insecure, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "azfuncscan")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// What the normal app alone yields: check and resource of each finding.
	normalDir := writeTree(t, map[string]string{"main.tf": string(app)})
	_, normal := scanJSON(t, normalDir)
	want := findingKeys(normal)
	if len(want) == 0 {
		t.Fatal("the normal app has no findings")
	}

	doubling := func(first, step string, n int) string {
		var b strings.Builder
		b.WriteString("locals {\n  v0 = " + first + "\n")
		for i := 1; i <= n; i++ {
			b.WriteString("  v" + strconv.Itoa(i) + " = " + strings.ReplaceAll(step, "PREV", "local.v"+strconv.Itoa(i-1)) + "\n")
		}
		b.WriteString("}\n")
		return b.String()
	}
	type row struct {
		name  string
		files map[string]string
		fifo  string   // a FIFO made under this name
		links []string // links to /dev/stdin made under these names
		flags []string
		file  string // the hostile file, which gets one diagnostic
		want  string // its summary
	}
	rows := []row{
		{name: "HCL nested 60,000 deep", files: map[string]string{"deep.tf": "locals {\n  x = " + strings.Repeat("[", 60000) + strings.Repeat("]", 60000) + "\n}\n"},
			file: "deep.tf", want: "Nested more than 1000 levels deep"},
		{name: "tf.json nested 300,000 deep", files: map[string]string{"deep.tf.json": `{"locals": {"x": ` + strings.Repeat("[", 300000) + strings.Repeat("]", 300000) + "}}"},
			file: "deep.tf.json", want: "Nested more than 10000 levels deep"},
		{name: "for over range(1000) three deep", files: map[string]string{"bad.tf": "locals {\n  x = [for a in range(1000): [for b in range(1000): [for c in range(1000): c]]]\n}\n"},
			file: "bad.tf", want: "Evaluation budget spent"},
		{name: "45 locals doubling a string", files: map[string]string{"bad.tf": doubling(`"ab"`, `"${PREV}${PREV}"`, 45)},
			file: "bad.tf", want: "Evaluation budget spent"},
		{name: "40 locals doubling with concat", files: map[string]string{"bad.tf": doubling(`[1, 2]`, `concat(PREV, PREV)`, 40)},
			file: "bad.tf", want: "Evaluation budget spent"},
		{name: "module count 10,000 × resource count 10,000", files: map[string]string{
			"bad.tf":    "module \"m\" {\n  source = \"./m\"\n  count  = 10000\n}\n",
			"m/main.tf": "resource \"azurerm_linux_function_app\" \"many\" {\n  count = 10000\n  name  = \"func-${count.index}\"\n}\n",
		}, file: "bad.tf", want: "Too many instances"},
		{name: "FIFO named pipe.tf", fifo: "pipe.tf", file: "pipe.tf", want: "Cannot read file"},
		{name: "link to /dev/stdin named terraform.tfvars", links: []string{"terraform.tfvars"},
			file: "terraform.tfvars", want: "File outside the scanned directories"},
		{name: "link to /dev/stdin named terraform.tfvars, --allow-outside --follow-symlinks", links: []string{"terraform.tfvars"},
			flags: []string{"--allow-outside", "--follow-symlinks"}, file: "terraform.tfvars", want: "Cannot read file"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			files := map[string]string{"main.tf": string(app)}
			for k, v := range r.files {
				files[k] = v
			}
			dir := writeTree(t, files)
			if r.fifo != "" {
				if err := syscall.Mkfifo(filepath.Join(dir, r.fifo), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			for _, l := range r.links {
				if err := os.Symlink("/dev/stdin", filepath.Join(dir, l)); err != nil {
					t.Fatal(err)
				}
			}
			// Standard input is a pipe nobody writes to: opening and
			// reading /dev/stdin would block forever.
			stdin, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = w.Close(); _ = stdin.Close() }()

			cmd := exec.Command(bin, append(append([]string{"scan", "--format", "json"}, r.flags...), dir)...)
			cmd.Stdin = stdin
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			m := runMeasured(t, cmd)
			t.Logf("%s: wall %v, peak RSS %.1f MB, exit %d", r.name, m.wall.Round(time.Millisecond), float64(m.rss)/1e6, m.code)
			if m.wall > 10*time.Second {
				t.Errorf("took %v, want at most 10 s", m.wall)
			}
			if m.rss > 500e6 {
				t.Errorf("peak RSS %d bytes, want at most 500 MB", m.rss)
			}
			if m.code != exitFindings {
				t.Fatalf("exit %d, want 1 (the normal app's findings); stderr:\n%s", m.code, stderr.String())
			}
			var out scanOut
			if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			got := findingKeys(out)
			for _, k := range want {
				if !slices.Contains(got, k) {
					t.Errorf("the normal app's finding %s is missing", k)
				}
			}
			var ds []string
			for _, d := range out.Diagnostics {
				if d.File == filepath.ToSlash(filepath.Join(dir, r.file)) || strings.HasSuffix(d.File, "/"+r.file) && !strings.Contains(d.File, "/m/") {
					ds = append(ds, d.Summary)
				}
			}
			if len(ds) != 1 || ds[0] != r.want {
				t.Errorf("diagnostics for %s = %q, want one %q; all: %+v", r.file, ds, r.want, out.Diagnostics)
			}
		})
	}
}

// findingKeys returns check and resource of each finding, sorted.
func findingKeys(o scanOut) []string {
	var out []string
	for _, f := range o.Findings {
		out = append(out, f.CheckID+" "+f.Resource)
	}
	slices.Sort(out)
	return out
}
