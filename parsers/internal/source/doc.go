// Package source reads the files the parsers look at. Every parser reads
// through [Read], so that a caller can put other contents in place of a
// file's on disk: a language server passes the unsaved buffers of an
// editor as a [Func] (see parsers.Options.ReadFile). Directories are still
// listed from disk.
package source
