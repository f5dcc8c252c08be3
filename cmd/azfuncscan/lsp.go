package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/lsp"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers"
	"github.com/azfuncscan/azfuncscan/parsers/ignore"
	"github.com/azfuncscan/azfuncscan/parsers/terraform"
)

func newLSPCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "lsp",
		Short: "Run the language server: findings as editor diagnostics (Language Server Protocol on stdin/stdout)",
		Long: `Run azfuncscan as a language server, speaking the Language Server Protocol on
stdin and stdout, for editors: the findings of the module (and the roots
calling it) that holds each opened or edited file, as diagnostics, updated as
you type; hover over a finding for what it means and how to fix it; a code
action inserts an azfuncscan:ignore comment. The configuration file and the
suppressions work as in azfuncscan scan. Logs go to stderr.

Initialization option (or workspace setting azfuncscan.showUndetermined):
showUndetermined (bool) also shows, as hints, findings whose outcome depends
on values known only at deployment.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return newLSPServer(e.stderr, newLSPLoader()).Run(cmd.Context(), stdio{Reader: cmd.InOrStdin(), Writer: e.stdout})
		},
	}
}

// newLSPServer returns a language server over the parsers and the
// checks as azfuncscan scan loads them.
func newLSPServer(log io.Writer, loader *lspLoader) *lsp.Server {
	return lsp.New(lsp.Options{
		Loader:  loader,
		Checks:  func(dirs []string) ([]*engine.Check, error) { return loadChecks(dirs...) },
		Name:    "azfuncscan",
		Version: version(),
		Log:     log,
		// The quick fixes' text edits, from the open buffer's text.
		FixChanges: parsers.Replacements,
	})
}

// lspLoader loads inputs for the language server through package parsers.
// Its parse cache keeps the Terraform files parsed from one evaluation to
// the next: an edit re-parses the edited file, not the module.
type lspLoader struct {
	cache *terraform.ParseCache
}

// newLSPLoader returns a loader with an empty parse cache.
func newLSPLoader() *lspLoader { return &lspLoader{cache: terraform.NewParseCache()} }

// Load implements lsp.Loader: the units below root that the changed
// files affect, with the configuration's var-files, arm-parameters and
// skip-paths.
func (l *lspLoader) Load(ctx context.Context, root string, changed []string, o lsp.LoadOptions) ([]*model.Module, model.Diagnostics, error) {
	in := inputFlags{}
	if o.Config != nil {
		in.varFiles, in.armParams = o.Config.VarFiles, o.Config.ARMParameters
	}
	opts, err := in.options()
	if err != nil {
		return nil, nil, err
	}
	opts.ReadFile = o.ReadFile
	opts.Terraform.ParseCache = l.cache
	opts.Changed = changed
	opts.Skip = o.Config.Skip(o.WorkDir)
	res, err := parsers.Load(ctx, []string{root}, opts)
	if err != nil {
		return nil, nil, err
	}
	return res.Modules, res.Diagnostics, nil
}

// Ignores implements lsp.Loader.
func (*lspLoader) Ignores(files []string, read func(string) ([]byte, error)) ([]model.Ignore, model.Diagnostics) {
	return ignore.ReadWith(read, files)
}

// ARMIgnoreEntry implements lsp.Loader.
func (*lspLoader) ARMIgnoreEntry(src []byte, off int, id, reason string) (int, string, bool) {
	return ignore.ARMEntry(src, off, id, reason)
}

// stdio is the language server's stream: stdin and stdout.
type stdio struct {
	io.Reader
	io.Writer
}

// Close implements io.Closer; stdin and stdout stay open until the
// process ends.
func (stdio) Close() error { return nil }
