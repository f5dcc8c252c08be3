package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/azfuncscan/azfuncscan/analyzer/config"
	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// ErrExitWithoutShutdown is returned by Run when the client sent exit
// without shutdown first (the protocol's exit code 1).
var ErrExitWithoutShutdown = errors.New("exit without shutdown")

// Loader is what the server needs from the parsers.
type Loader interface {
	// Load loads the inputs below root that a change of the files in
	// changed (absolute paths) may affect, reading every file through
	// opts.ReadFile. Problems in the inputs are diagnostics.
	Load(ctx context.Context, root string, changed []string, opts LoadOptions) ([]*model.Module, model.Diagnostics, error)
	// Ignores returns the suppressions written in the files, read
	// through read.
	Ignores(files []string, read func(path string) ([]byte, error)) ([]model.Ignore, model.Diagnostics)
	// ARMIgnoreEntry returns where to insert, and what, in the ARM
	// template src, an ignore entry for check id with reason in the
	// resource holding byte offset off; ok is false when src is not a
	// template or no resource holds off.
	ARMIgnoreEntry(src []byte, off int, id, reason string) (at int, text string, ok bool)
}

// LoadOptions are the settings of one load.
type LoadOptions struct {
	// ReadFile reads a file: the open document's text, else the disk.
	ReadFile func(path string) ([]byte, error)
	// Config is the configuration file that applies (nil: none): its
	// var-files, arm-parameters and skip-paths apply to the load.
	Config *config.Config
	// WorkDir is the directory relative paths are relative to.
	WorkDir string
}

// Options configure a server.
type Options struct {
	Loader Loader
	// Checks returns the checks to run: the built-in ones and those of
	// the directories given (a configuration's checks-dirs).
	Checks func(dirs []string) ([]*engine.Check, error)
	// Name and Version name the server in the initialize result.
	Name, Version string
	// Log receives the server's log lines; nil: discarded. Never the
	// protocol's output stream.
	Log io.Writer
	// Debounce is how long the server waits after a change for the next
	// one before evaluating; 0: DefaultDebounce.
	Debounce time.Duration
	// Actions are code action providers asked after the built-in ones
	// (suppress).
	Actions []ActionProvider
	// FixChanges returns the text replacements that a fix's edits of one
	// file make in src, the text of the file at path (absolute) they
	// name: the open document's, else the file's. cmd wires it to the
	// parsers. nil: no "Fix: ..." code actions.
	FixChanges func(path string, src []byte, edits []model.Edit) ([]model.Replacement, error)
	// Now returns the time ignores' expiry dates are compared with; nil:
	// time.Now.
	Now func() time.Time
}

// DefaultDebounce is the wait after a change before evaluating: long
// enough to take a burst of keystrokes as one change, short enough not to
// be noticed.
const DefaultDebounce = 60 * time.Millisecond

// Server is one language server session.
type Server struct {
	opts Options
	conn jsonrpc2.Conn

	logMu sync.Mutex

	mu               sync.Mutex
	docs             map[string]*document // open documents by absolute path
	folders          []string             // workspace folders, absolute
	showUndetermined bool
	initialized      bool
	shutdown         bool
	exited           chan struct{}
	exitOnce         sync.Once
	st               *state // what was evaluated and published

	// pending are the changed files (absolute) not evaluated yet; wake
	// tells the worker to look at them after the debounce.
	pending map[string]bool
	timer   *time.Timer
	wake    chan struct{}
	// evaluated counts finished evaluations, for tests (Evaluations).
	evaluated int
	idle      *sync.Cond
	busy      bool
}

// document is an open text document.
type document struct {
	uri     protocol.DocumentURI
	version int32
	text    []byte
}

// New returns a server with opts.
func New(opts Options) *Server {
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Name == "" {
		opts.Name = "azfuncscan"
	}
	s := &Server{
		opts:    opts,
		docs:    map[string]*document{},
		pending: map[string]bool{},
		wake:    make(chan struct{}, 1),
		exited:  make(chan struct{}),
		st:      newState(),
	}
	s.idle = sync.NewCond(&s.mu)
	return s
}

// Run serves the protocol on rwc (framed as LSP does: Content-Length
// headers) until the client sends exit, the stream ends or ctx is done.
// It returns nil after shutdown and exit, ErrExitWithoutShutdown after an
// exit alone, and the stream's error when it failed.
func (s *Server) Run(ctx context.Context, rwc io.ReadWriteCloser) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.conn = jsonrpc2.NewConn(newTolerantStream(rwc, s.logf))
	s.conn.Go(ctx, s.handle)
	go s.worker(ctx)
	select {
	case <-s.exited:
	case <-s.conn.Done():
	case <-ctx.Done():
	}
	cancel()
	_ = s.conn.Close() // the session is over either way
	s.mu.Lock()
	shutdown := s.shutdown
	s.mu.Unlock()
	select {
	case <-s.exited:
		if !shutdown {
			return ErrExitWithoutShutdown
		}
		return nil
	default:
	}
	if err := s.conn.Err(); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("lsp: %w", err)
	}
	return nil
}

// logf writes one line to the log.
func (s *Server) logf(format string, args ...any) {
	if s.opts.Log == nil {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	_, _ = fmt.Fprintf(s.opts.Log, "azfuncscan lsp: "+format+"\n", args...) // a log that cannot be written is not worth failing for
}

// handle dispatches one message. It never returns an error (which would
// end the connection): failures are replies or log lines.
func (s *Server) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) (err error) {
	_, isCall := req.(*jsonrpc2.Call)
	replied := false
	rep := func(ctx context.Context, result any, rerr error) error {
		replied = true
		if !isCall {
			if rerr != nil {
				s.logf("%s: %v", req.Method(), rerr)
			}
			return nil
		}
		// A reply that cannot be written means the connection is gone:
		// the error ends it.
		return reply(ctx, result, rerr)
	}
	defer func() {
		if r := recover(); r != nil {
			s.logf("internal error handling %s: %v\n%s", req.Method(), r, debug.Stack())
			if !replied {
				err = rep(ctx, nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error: %v", r))
			}
		}
	}()

	s.mu.Lock()
	initialized, shutdown := s.initialized, s.shutdown
	s.mu.Unlock()
	switch m := req.Method(); {
	case m == protocol.MethodExit:
		s.exitOnce.Do(func() { close(s.exited) })
		return rep(ctx, nil, nil)
	case m == protocol.MethodInitialize:
		return s.initialize(ctx, rep, req)
	case !initialized:
		return rep(ctx, nil, jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "server not initialized"))
	case shutdown && m != protocol.MethodShutdown:
		return rep(ctx, nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "server is shutting down"))
	}

	switch req.Method() {
	case protocol.MethodInitialized, "$/cancelRequest", "$/setTrace":
		return rep(ctx, nil, nil)
	case protocol.MethodWorkspaceDidChangeConfiguration:
		var p struct {
			Settings json.RawMessage `json:"settings"`
		}
		if err := decode(req, &p); err != nil {
			return rep(ctx, nil, err)
		}
		s.configure(p.Settings)
		return rep(ctx, nil, nil)
	case protocol.MethodShutdown:
		s.mu.Lock()
		s.shutdown = true
		s.mu.Unlock()
		return rep(ctx, nil, nil)
	case protocol.MethodTextDocumentDidOpen:
		var p protocol.DidOpenTextDocumentParams
		if err := decode(req, &p); err != nil {
			return rep(ctx, nil, err)
		}
		s.open(p.TextDocument.URI, p.TextDocument.Version, []byte(p.TextDocument.Text))
		return rep(ctx, nil, nil)
	case protocol.MethodTextDocumentDidChange:
		var p protocol.DidChangeTextDocumentParams
		if err := decode(req, &p); err != nil {
			return rep(ctx, nil, err)
		}
		if n := len(p.ContentChanges); n > 0 {
			// Full synchronisation: the last change is the whole text.
			s.change(p.TextDocument.URI, p.TextDocument.Version, []byte(p.ContentChanges[n-1].Text))
		}
		return rep(ctx, nil, nil)
	case protocol.MethodTextDocumentDidSave:
		var p protocol.DidSaveTextDocumentParams
		if err := decode(req, &p); err != nil {
			return rep(ctx, nil, err)
		}
		s.touch(p.TextDocument.URI, 0)
		return rep(ctx, nil, nil)
	case protocol.MethodTextDocumentDidClose:
		var p protocol.DidCloseTextDocumentParams
		if err := decode(req, &p); err != nil {
			return rep(ctx, nil, err)
		}
		s.close(p.TextDocument.URI)
		return rep(ctx, nil, nil)
	case protocol.MethodWorkspaceDidChangeWatchedFiles:
		var p protocol.DidChangeWatchedFilesParams
		if err := decode(req, &p); err != nil {
			return rep(ctx, nil, err)
		}
		for _, c := range p.Changes {
			if c != nil {
				s.touch(c.URI, 0)
			}
		}
		return rep(ctx, nil, nil)
	case protocol.MethodTextDocumentHover:
		var p protocol.HoverParams
		if err := decode(req, &p); err != nil {
			return rep(ctx, nil, err)
		}
		return rep(ctx, s.hover(p), nil)
	case protocol.MethodTextDocumentCodeAction:
		var p protocol.CodeActionParams
		if err := decode(req, &p); err != nil {
			return rep(ctx, nil, err)
		}
		return rep(ctx, s.codeActions(p), nil)
	}
	return rep(ctx, nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method not found: %q", req.Method()))
}

// decode unmarshals a message's params; a failure is an InvalidParams
// error to reply with.
func decode(req jsonrpc2.Request, v any) error {
	if err := json.Unmarshal(req.Params(), v); err != nil {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: invalid params: %v", req.Method(), err)
	}
	return nil
}

// initOptions are the initializationOptions the server reads.
type initOptions struct {
	// ShowUndetermined shows findings whose outcome depends on values
	// known only at deployment (as hints).
	ShowUndetermined bool `json:"showUndetermined"`
}

func (s *Server) initialize(ctx context.Context, rep jsonrpc2.Replier, req jsonrpc2.Request) error {
	var p struct {
		protocol.InitializeParams
		InitializationOptions *initOptions `json:"initializationOptions,omitempty"`
	}
	if err := decode(req, &p); err != nil {
		return rep(ctx, nil, err)
	}
	var folders []string
	for _, f := range p.WorkspaceFolders {
		if dir, ok := pathOf(protocol.DocumentURI(f.URI)); ok {
			folders = append(folders, dir)
		}
	}
	if len(folders) == 0 {
		// Clients without workspace folders send the deprecated root.
		if dir, ok := pathOf(p.RootURI); ok { //nolint:staticcheck // see above
			folders = append(folders, dir)
		} else if p.RootPath != "" { //nolint:staticcheck // see above
			if abs, err := filepath.Abs(p.RootPath); err == nil { //nolint:staticcheck // see above
				folders = append(folders, abs)
			}
		}
	}
	s.mu.Lock()
	s.initialized = true
	s.folders = folders
	if p.InitializationOptions != nil {
		s.showUndetermined = p.InitializationOptions.ShowUndetermined
	}
	s.mu.Unlock()
	return rep(ctx, protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			TextDocumentSync: protocol.TextDocumentSyncOptions{
				OpenClose: true,
				Change:    protocol.TextDocumentSyncKindFull,
				Save:      &protocol.SaveOptions{},
			},
			HoverProvider: true,
			CodeActionProvider: protocol.CodeActionOptions{
				CodeActionKinds: []protocol.CodeActionKind{protocol.QuickFix},
			},
		},
		ServerInfo: &protocol.ServerInfo{Name: s.opts.Name, Version: s.opts.Version},
	}, nil)
}

// configure applies workspace settings, {"azfuncscan": {...}} or the
// options themselves (initOptions' fields): when showUndetermined
// changed, the open documents are evaluated again.
func (s *Server) configure(raw json.RawMessage) {
	var wrapped struct {
		Azfuncscan *initOptions `json:"azfuncscan"`
	}
	var direct initOptions
	if json.Unmarshal(raw, &wrapped) != nil || json.Unmarshal(raw, &direct) != nil {
		s.logf("workspace/didChangeConfiguration: settings are not an object; ignored")
		return
	}
	opts := &direct
	if wrapped.Azfuncscan != nil {
		opts = wrapped.Azfuncscan
	}
	s.mu.Lock()
	changed := s.showUndetermined != opts.ShowUndetermined
	s.showUndetermined = opts.ShowUndetermined
	open := make([]string, 0, len(s.docs))
	for p := range s.docs {
		open = append(open, p)
	}
	s.mu.Unlock()
	if changed {
		for _, p := range open {
			s.schedule(p, 0)
		}
	}
}

// open records an open document and schedules its evaluation.
func (s *Server) open(u protocol.DocumentURI, version int32, text []byte) {
	p, ok := pathOf(u)
	if !ok {
		s.logf("ignoring %s: not a file", u)
		return
	}
	s.mu.Lock()
	s.docs[p] = &document{uri: u, version: version, text: text}
	s.mu.Unlock()
	s.schedule(p, 0)
}

// change replaces an open document's text and schedules its evaluation
// after the debounce.
func (s *Server) change(u protocol.DocumentURI, version int32, text []byte) {
	p, ok := pathOf(u)
	if !ok {
		return
	}
	s.mu.Lock()
	if d := s.docs[p]; d != nil {
		d.version, d.text = version, text
	} else {
		s.docs[p] = &document{uri: u, version: version, text: text}
	}
	s.mu.Unlock()
	s.schedule(p, s.opts.Debounce)
}

// close forgets an open document: the file on disk counts again.
func (s *Server) close(u protocol.DocumentURI) {
	p, ok := pathOf(u)
	if !ok {
		return
	}
	s.mu.Lock()
	delete(s.docs, p)
	s.mu.Unlock()
	s.schedule(p, 0)
}

// touch schedules the evaluation of a file that changed on disk.
func (s *Server) touch(u protocol.DocumentURI, wait time.Duration) {
	if p, ok := pathOf(u); ok {
		s.schedule(p, wait)
	}
}

// schedule marks a file changed; the worker evaluates the changed files
// once no change came for wait.
func (s *Server) schedule(path string, wait time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending[path] = true
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timer = time.AfterFunc(wait, func() {
		select {
		case s.wake <- struct{}{}:
		default:
		}
	})
}

// worker evaluates the pending changes, one evaluation at a time.
func (s *Server) worker(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		}
		s.mu.Lock()
		changed := make([]string, 0, len(s.pending))
		for p := range s.pending {
			changed = append(changed, p)
		}
		s.pending = map[string]bool{}
		s.busy = true
		s.mu.Unlock()
		if len(changed) > 0 {
			s.evaluate(ctx, changed)
		}
		s.mu.Lock()
		s.busy = false
		s.evaluated++
		s.idle.Broadcast()
		s.mu.Unlock()
	}
}

// pathOf returns the absolute, clean file path of a file URI.
func pathOf(u protocol.DocumentURI) (string, bool) {
	p, err := uriPath(string(u))
	if err != nil || p == "" {
		return "", false
	}
	if !filepath.IsAbs(p) {
		return "", false
	}
	return filepath.Clean(p), true
}

// readThrough returns a ReadFile over the open documents of docs (by
// absolute path), falling back to the disk.
func readThrough(docs map[string][]byte) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		key := p
		if abs, err := filepath.Abs(p); err == nil {
			key = abs
		}
		if text, ok := docs[filepath.Clean(key)]; ok {
			return text, nil
		}
		return os.ReadFile(p)
	}
}
