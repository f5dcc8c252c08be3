package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// nvimScript starts azfuncscan lsp as Neovim's language client for the
// file given on the command line (vim.lsp.start_client, which Debian's
// Neovim 0.7 has; the README shows vim.lsp.start of 0.8 and later),
// waits until diagnostics stop changing and writes vim.diagnostic.get()
// as JSON to $AZF_OUT.
const nvimScript = `
local bin, root, out = os.getenv('AZF_BIN'), os.getenv('AZF_ROOT'), os.getenv('AZF_OUT')
local id = vim.lsp.start_client({ name = 'azfuncscan', cmd = { bin, 'lsp' }, root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'root' } } })
vim.lsp.buf_attach_client(0, id)
local last, stable = -1, 0
vim.wait(30000, function()
  local n = #vim.diagnostic.get(0)
  if n > 0 and n == last then stable = stable + 1 else stable = 0 end
  last = n
  return stable >= 10
end, 100)
local got = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code
  if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
  table.insert(got, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
    severity = d.severity, source = d.source, code = code, message = d.message })
end
vim.fn.writefile({ vim.fn.json_encode(got) }, out)
vim.lsp.stop_client(id)
vim.cmd('qa!')
`

// nvimDiag is an entry of vim.diagnostic.get().
type nvimDiag struct {
	Lnum     int    `json:"lnum"`
	Col      int    `json:"col"`
	EndLnum  int    `json:"end_lnum"`
	EndCol   int    `json:"end_col"`
	Severity int    `json:"severity"`
	Source   string `json:"source"`
	Code     string `json:"code"`
	Message  string `json:"message"`
}

// A real editor: Neovim (nvim --headless) opens a fixture file with
// azfuncscan lsp attached; its diagnostics are the CLI's findings for
// that file, at the same places. Skipped when nvim is missing, except in
// CI (CI set), where .ci/run installs Debian's neovim.
func TestNeovim(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("nvim not found; .ci/run installs Debian's neovim")
		}
		t.Skip("nvim not found (apt-get install neovim); CI runs this test")
	}
	if testing.Short() {
		t.Skip("builds the binary and starts an editor")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "azfuncscan")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	script := filepath.Join(tmp, "attach.lua")
	if err := os.WriteFile(script, []byte(nvimScript), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ fixture, file string }{
		{"roots-dev-prod", "modules/app/main.tf"},
		{"041-min-tls", "main.tf"},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), tc.fixture)
			copyTree(t, filepath.Join("..", "..", "testdata", "terraform", tc.fixture), root)
			file := filepath.Join(root, filepath.FromSlash(tc.file))
			out := filepath.Join(t.TempDir(), "diagnostics.json")

			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, nvim, "--headless", "--clean", "-n", file, "-c", "luafile "+script)
			cmd.Env = append(os.Environ(), "AZF_BIN="+bin, "AZF_ROOT="+root, "AZF_OUT="+out)
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stderr, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("nvim: %v\n%s", err, stderr.String())
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatalf("nvim wrote no diagnostics: %v\n%s", err, stderr.String())
			}
			var got []nvimDiag
			if err := json.Unmarshal(data, &got); err != nil {
				t.Fatalf("%v: %s", err, data)
			}

			want := cliFindings(t, root, file)
			if len(want) == 0 {
				t.Fatal("the CLI finds nothing in the file; pick a fixture with findings")
			}
			var gotKeys []string
			for _, d := range got {
				if d.Source != "azfuncscan" {
					t.Errorf("source %q", d.Source)
				}
				gotKeys = append(gotKeys, fmt.Sprintf("%d:%d-%d:%d %s %s", d.Lnum+1, d.Col+1, d.EndLnum+1, d.EndCol+1, d.Code, d.Message))
			}
			sort.Strings(gotKeys)
			t.Logf("%d diagnostics, %d CLI findings in %s", len(got), len(want), tc.file)
			if strings.Join(gotKeys, "\n") != strings.Join(want, "\n") {
				t.Errorf("Neovim's diagnostics:\n%s\nthe CLI's findings:\n%s", strings.Join(gotKeys, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// cliFindings runs azfuncscan scan --format json on root and returns the
// findings in file as "line:col-endline:endcol ID message", sorted.
func cliFindings(t *testing.T, root, file string) []string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"scan", "--format", "json", root}, &stdout, &stderr); code > exitFindings {
		t.Fatalf("scan: exit %d\n%s", code, stderr.String())
	}
	var rep struct {
		Findings []struct {
			CheckID   string `json:"check_id"`
			Message   string `json:"message"`
			File      string `json:"file"`
			Line      int    `json:"line"`
			Column    int    `json:"column"`
			EndLine   int    `json:"end_line"`
			EndColumn int    `json:"end_column"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range rep.Findings {
		p := filepath.FromSlash(f.File)
		if !filepath.IsAbs(p) {
			if abs, err := filepath.Abs(p); err == nil {
				p = abs
			}
		}
		if p == file {
			out = append(out, fmt.Sprintf("%d:%d-%d:%d %s %s", f.Line, f.Column, f.EndLine, f.EndColumn, f.CheckID, f.Message))
		}
	}
	sort.Strings(out)
	return out
}
