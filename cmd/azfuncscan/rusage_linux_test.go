//go:build linux

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// rssOutEnv, when set, makes the test binary a wrapper (see TestMain):
// it runs os.Args[1:] and writes the child's peak RSS (bytes) to the file
// it names.
//
// Why a wrapper: os/exec starts children with vfork, and Linux counts the
// memory of the process a child was vforked from into the child's peak
// RSS (ru_maxrss) when it execs. Started from the test process (hundreds
// of megabytes under -race), every child would seem as large. The
// wrapper is a fresh, small process; what it starts carries only its
// size, a few megabytes, as a bound the figure may overstate, never
// understate.
const rssOutEnv = "AZFUNCSCAN_TEST_RSS_OUT"

func rusageWrapper() (int, bool) {
	out := os.Getenv(rssOutEnv)
	if out == "" {
		return 0, false
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Env = os.Environ()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		fmt.Fprintln(os.Stderr, err)
		return 3, true
	}
	rss := int64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) << 10 // KiB on Linux
	if err := os.WriteFile(out, []byte(strconv.FormatInt(rss, 10)), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3, true
	}
	return cmd.ProcessState.ExitCode(), true
}

// measured is how a command ran: exit status, wall time and peak RSS.
type measured struct {
	code int
	wall time.Duration
	rss  int64
}

// runMeasured runs name with args through the wrapper, killing it after
// a minute; stdin, stdout and stderr are the command's.
func runMeasured(t *testing.T, cmd *exec.Cmd) measured {
	t.Helper()
	out := t.TempDir() + "/rss"
	wrapped := exec.Command(os.Args[0], append([]string{cmd.Path}, cmd.Args[1:]...)...)
	wrapped.Env = append(os.Environ(), rssOutEnv+"="+out)
	wrapped.Stdin, wrapped.Stdout, wrapped.Stderr = cmd.Stdin, cmd.Stdout, cmd.Stderr
	start := time.Now()
	if err := wrapped.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(time.Minute, func() { _ = wrapped.Process.Kill() })
	err := wrapped.Wait()
	timer.Stop()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("no peak RSS from the wrapper (exit %d, killed after a minute?): %v", wrapped.ProcessState.ExitCode(), err)
	}
	rss, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return measured{code: wrapped.ProcessState.ExitCode(), wall: wall, rss: rss}
}
