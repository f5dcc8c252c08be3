package lsp

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sync/atomic"

	"go.lsp.dev/jsonrpc2"
)

// tolerantStream is a jsonrpc2 stream that survives a message it cannot
// frame or decode: jsonrpc2 ends the connection on any read error, but a
// message that is not JSON-RPC is the client's mistake, to be logged and
// skipped. Once the underlying reader failed (end of input, a broken
// pipe), errors end the stream as before.
type tolerantStream struct {
	jsonrpc2.Stream
	in  *recordingReader
	log func(format string, args ...any)
}

func newTolerantStream(rwc io.ReadWriteCloser, log func(string, ...any)) *tolerantStream {
	in := &recordingReader{ReadWriteCloser: rwc}
	return &tolerantStream{Stream: jsonrpc2.NewStream(in), in: in, log: log}
}

// Read implements jsonrpc2.Stream.
func (s *tolerantStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	var total int64
	for {
		msg, n, err := s.Stream.Read(ctx)
		total += n
		if err == nil || s.in.failed.Load() || ctx.Err() != nil {
			return msg, total, err
		}
		s.log("skipping a malformed message: %v", err)
	}
}

// recordingReader remembers whether a read of the underlying stream
// failed.
type recordingReader struct {
	io.ReadWriteCloser
	failed atomic.Bool
}

func (r *recordingReader) Read(p []byte) (int, error) {
	n, err := r.ReadWriteCloser.Read(p)
	if err != nil {
		r.failed.Store(true)
	}
	return n, err
}

// uriPath returns the file path of a file URI.
func uriPath(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("uri %q: %w", s, err)
	}
	if u.Scheme != "file" {
		return "", fmt.Errorf("uri %q: not a file", s)
	}
	p := u.Path
	// A Windows drive letter: /C:/x names C:/x.
	if len(p) >= 3 && p[0] == '/' && p[2] == ':' {
		p = p[1:]
	}
	return filepath.FromSlash(p), nil
}
