// Package bicepcli compiles Bicep files with the Bicep CLI:
// `bicep build --no-restore --stdout FILE`, whose output is the ARM
// template parsers/arm reads. It is the only place azfuncscan starts a
// process, and it does only when asked (azfuncscan scan --bicep); a
// depguard rule keeps os/exec out of every other package.
//
// --no-restore: the CLI does not download registry modules (azfuncscan
// never uses the network); a file using one that is not in the local
// cache fails to compile, with the CLI's message (run `bicep restore`
// first).
package bicepcli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// DefaultTimeout bounds one compilation when Compiler.Timeout is zero.
const DefaultTimeout = 60 * time.Second

// maxOutput caps the compiled template read from the CLI.
const maxOutput = 64 << 20

// ErrNoCLI is returned by Build when no Bicep CLI was found.
var ErrNoCLI = errors.New("no bicep CLI on PATH")

// Compiler runs one Bicep CLI.
type Compiler struct {
	// Path is the bicep executable; "" when none was found.
	Path string
	// Timeout bounds one compilation; zero is DefaultTimeout.
	Timeout time.Duration
}

// Find returns a compiler for the `bicep` found on PATH; its Path is
// empty when there is none.
func Find() *Compiler {
	p, err := exec.LookPath("bicep")
	if err != nil {
		return &Compiler{}
	}
	return &Compiler{Path: p}
}

// Available reports whether a CLI was found.
func (c *Compiler) Available() bool { return c != nil && c.Path != "" }

// Build compiles the .bicep file and returns the compiled template. A
// failure says why: the CLI's first lines of error output, or the timeout.
func (c *Compiler) Build(ctx context.Context, file string) ([]byte, error) {
	if !c.Available() {
		return nil, ErrNoCLI
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	arg := file
	if strings.HasPrefix(arg, "-") {
		// Never an option: a file named -x.bicep is ./-x.bicep.
		arg = "." + string(filepath.Separator) + arg
	}
	//nolint:gosec // G204: the executable is the bicep CLI found on PATH, its arguments fixed but for the file to compile
	cmd := exec.CommandContext(ctx, c.Path, "build", "--no-restore", "--stdout", arg)
	stdout := &capped{max: maxOutput}
	stderr := &capped{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// A child that keeps the pipes open after the CLI is killed does not
	// hold the scan.
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, fmt.Errorf("bicep build %s: no result after %s", file, timeout)
	case err != nil:
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			return nil, fmt.Errorf("bicep build %s: %w", file, err)
		}
		return nil, fmt.Errorf("bicep build %s: %w: %s", file, err, firstLines(msg, 5))
	case stdout.over:
		return nil, fmt.Errorf("bicep build %s: the compiled template is larger than %d MiB", file, maxOutput>>20)
	}
	return stdout.Bytes(), nil
}

// capped is a buffer that keeps the first max bytes written.
type capped struct {
	bytes.Buffer
	max  int
	over bool
}

func (b *capped) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room < len(p) {
		b.over = true
		if room > 0 {
			b.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	return strings.Join(lines, "\n")
}
