//go:build !unix

package source

import "os"

// openFlags: elsewhere, open as usual (Open's Stat still refuses what is
// not a regular file).
const openFlags = os.O_RDONLY
