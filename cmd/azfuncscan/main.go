package main

import (
	"context"
	"os"
	"os/signal"
	"runtime"
)

func main() {
	runtime.MemProfileRate = memProfileRate(os.Args[1:], runtime.MemProfileRate)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
