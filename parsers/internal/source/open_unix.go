//go:build unix

package source

import (
	"os"
	"syscall"
)

// openFlags opens without blocking: opening a FIFO for reading otherwise
// waits for a writer, forever. Regular files read as usual.
const openFlags = os.O_RDONLY | syscall.O_NONBLOCK
