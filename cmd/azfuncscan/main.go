package main

import (
	"context"
	"os"
	"os/signal"
	"runtime"
)

func main() {
	runtime.MemProfileRate = memProfileRate(os.Args[1:], runtime.MemProfileRate)
	if hugeHeap(os.Args[1:], os.Getenv) {
		preferHugePages(hugeHeapBytes)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
