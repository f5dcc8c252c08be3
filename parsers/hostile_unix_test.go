//go:build unix

package parsers

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Issue 13, last row: a FIFO, or a link to one or to /dev/stdin, named
// like a file Terraform reads (next to a real .tf) is not opened for
// reading, which would wait for a writer forever: each is one "Cannot
// read file" diagnostic and the rest is scanned.
func TestHostileFIFOs(t *testing.T) {
	for _, name := range []string{"pipe.tf", "pipe.tf.json", "terraform.tfvars", "x.auto.tfvars.json", "override.tf"} {
		t.Run(name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"main.tf": normalApp})
			if err := syscall.Mkfifo(filepath.Join(dir, name), 0o600); err != nil {
				t.Skip("no FIFOs here:", err)
			}
			res := loadBeside(t, dir, Options{})
			requireNormalApp(t, res)
			ds := diagsFor(res, dir, name)
			if len(ds) != 1 || ds[0].Summary != "Cannot read file" || !strings.Contains(ds[0].Detail, "not a regular file") {
				t.Errorf("want one \"Cannot read file\" diagnostic for %s, got %v", name, ds)
			}
		})
	}
	t.Run("links", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{"main.tf": normalApp})
		fifo := filepath.Join(t.TempDir(), "fifo")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skip("no FIFOs here:", err)
		}
		links := map[string]string{"fifo.tf": fifo, "terraform.tfvars": fifo}
		if fi, err := os.Stdin.Stat(); err == nil && !fi.Mode().IsRegular() {
			links["stdin.tf"] = "/dev/stdin" // a terminal, a pipe or /dev/null
		}
		for name, target := range links {
			if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
				t.Skip("no symbolic links here:", err)
			}
		}
		// By default the links, leading outside the scanned directory,
		// are not read at all; allowed outside, they are not opened.
		for _, tc := range []struct {
			opts Options
			want string
		}{
			{Options{}, "File outside the scanned directories"},
			{Options{AllowOutside: true, FollowSymlinks: true}, "Cannot read file"},
		} {
			res := loadBeside(t, dir, tc.opts)
			requireNormalApp(t, res)
			for name := range links {
				if ds := diagsFor(res, dir, name); len(ds) != 1 || ds[0].Summary != tc.want {
					t.Errorf("%+v: want one %q diagnostic for %s, got %v", tc.opts, tc.want, name, ds)
				}
			}
		}
	})
	t.Run("module", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{
			"main.tf":            "module \"m\" {\n  source = \"./m\"\n}\n",
			"m/main.tf":          normalApp,
			"m/terraform.tfvars": "",
		})
		for _, p := range []string{"m/pipe.tf", ".terraform/modules/modules.json"} {
			_ = os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755)
			if err := syscall.Mkfifo(filepath.Join(dir, p), 0o600); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}
		res := loadBeside(t, dir, Options{})
		found := false
		for _, m := range res.Modules {
			for _, a := range m.FunctionApps {
				found = found || a.Address == "module.m.azurerm_linux_function_app.normal"
			}
		}
		if !found {
			t.Errorf("the module's app was not read: %v", res.Diagnostics)
		}
		if ds := diagsFor(res, dir, "m/pipe.tf"); len(ds) != 1 || ds[0].Summary != "Cannot read file" {
			t.Errorf("want one \"Cannot read file\" diagnostic for m/pipe.tf, got %v", ds)
		}
	})
}
