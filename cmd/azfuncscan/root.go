package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azfuncscan/azfuncscan/analyzer/lsp"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFindings = 1
	exitError    = 2
)

// errFindings reports that the scan found something at or above the
// threshold; it is the only error that exits with status 1.
var errFindings = errors.New("findings at or above the severity threshold")

// usageError is a mistake on the command line; cmd is the command path
// whose help to suggest ("": the command that ran).
type usageError struct {
	err error
	cmd string
}

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{err: fmt.Errorf(format, args...)}
}

// exitCode maps an error from the command tree to the process exit status.
func exitCode(err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errFindings):
		return exitFindings
	case errors.Is(err, lsp.ErrExitWithoutShutdown):
		// The Language Server Protocol's status for an exit notification
		// that came without a shutdown request first.
		return 1
	default:
		return exitError
	}
}

// env is what the commands get from the process.
type env struct {
	stdout, stderr io.Writer
	// color reports whether stdout is a terminal that wants color.
	color bool
	// progress reports whether stderr is a terminal, where a long scan
	// shows its progress (progress.go).
	progress bool
}

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, color: wantsColor(stdout), progress: isTerminal(stderr)}
	root := newRootCmd(e)
	root.SetArgs(args)
	ran, err := root.ExecuteContextC(ctx)
	if err != nil && !errors.Is(err, errFindings) {
		// Several problems (a check file with many) continue on
		// indented lines, as diagnostics' details do.
		text := strings.TrimRight(err.Error(), "\n")
		msg := "azfuncscan: error: " + strings.ReplaceAll(text, "\n", "\n    ") + "\n"
		var ue usageError
		if errors.As(err, &ue) {
			// The help of the command the mistake was made in.
			cmd := ue.cmd
			if cmd == "" && ran != nil {
				cmd = ran.CommandPath()
			}
			if cmd == "" {
				cmd = "azfuncscan"
			}
			msg += fmt.Sprintf("Run '%s --help' for usage.\n", cmd)
		}
		// Nothing is left to tell if stderr cannot be written.
		_, _ = io.WriteString(stderr, msg)
	}
	return exitCode(err)
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "azfuncscan",
		Short: "Find security misconfigurations of Azure Function Apps in infrastructure-as-code",
		Long: `azfuncscan reads Terraform, ARM/Bicep-compiled templates and Pulumi state, builds one model of every
function app and the resources around it, and runs declarative checks on it.

Exit status: 0 no findings at or above the threshold, 1 findings, 2 usage or
fatal error (see azfuncscan scan --help).`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err: err, cmd: c.CommandPath()} })
	root.AddCommand(newScanCmd(e), newFixCmd(e), newReportCmd(e), newChecksCmd(e), newModelCmd(e), newVersionCmd(e), newInitCmd(e), newLSPCmd(e))
	// Unknown subcommands and bad arguments are usage errors too.
	for _, c := range root.Commands() {
		c.Args = usageArgs(c.Args)
	}
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		var names []string
		for _, c := range cmd.Commands() {
			if c.IsAvailableCommand() {
				names = append(names, c.Name())
			}
		}
		return usageError{err: fmt.Errorf("unknown command %q%s", args[0], didYouMean(args[0], names)), cmd: cmd.CommandPath()}
	}
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	return root
}

// usageArgs wraps an argument validator so that its errors are usage errors.
func usageArgs(v cobra.PositionalArgs) cobra.PositionalArgs {
	if v == nil {
		return nil
	}
	return func(cmd *cobra.Command, args []string) error {
		if err := v(cmd, args); err != nil {
			return usageError{err: err, cmd: cmd.CommandPath()}
		}
		return nil
	}
}

// wantsColor reports whether w is a terminal and NO_COLOR is unset.
func wantsColor(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// version is the main module's version from the build info, or "dev".
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(e.stdout, "azfuncscan %s\n", version())
			return err
		},
	}
}

// dirs returns the working directory and the repository root: the base
// directory for relative paths in reports and for finding identities
// (fingerprints). The repository root is the nearest directory at or above
// the working directory that holds a .git entry; when the working
// directory is outside any repository, the nearest such directory above
// the first scanned path; else the working directory. git itself is never
// run.
func dirs(paths ...string) (work, base string, err error) {
	work, err = os.Getwd()
	if err != nil {
		return "", "", fmt.Errorf("working directory: %w", err)
	}
	if root, ok := gitRoot(work); ok {
		return work, root, nil
	}
	if len(paths) > 0 {
		p := paths[0]
		if !filepath.IsAbs(p) {
			p = filepath.Join(work, p)
		}
		p = filepath.Clean(p)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			p = filepath.Dir(p)
		}
		if root, ok := gitRoot(p); ok {
			return work, root, nil
		}
	}
	return work, work, nil
}

// gitRoot returns the nearest directory at or above dir (absolute) that
// holds a .git entry (a directory, or the file of a worktree).
func gitRoot(dir string) (string, bool) {
	for {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
