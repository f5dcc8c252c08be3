package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/checks"
)

// fakeLoader reads a toy format, so that the server is tested without
// the parsers: every *.app file below the root is a module with one
// function app, each line one setting:
//
//	https_only = false|true|?   (? : unknown)
//	https_only = false @ lib.txt:2   (the value is written in lib.txt, line 2)
//	https_only = false via vars.txt:1   (the value came from vars.txt, line 1)
//	# ignore AZFUNC-040 reason   (an inline suppression covering the file)
//	broken   (a parse error on this line)
type fakeLoader struct {
	mu    sync.Mutex
	loads int
}

func (l *fakeLoader) Load(_ context.Context, root string, _ []string, o LoadOptions) ([]*model.Module, model.Diagnostics, error) {
	l.mu.Lock()
	l.loads++
	l.mu.Unlock()
	var mods []*model.Module
	var diags model.Diagnostics
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".app" {
			return nil //nolint:nilerr // an unreadable entry is skipped, as the parsers would report it
		}
		src, err := o.ReadFile(p)
		if err != nil {
			return nil //nolint:nilerr // a file deleted meanwhile is not an input
		}
		app := &model.FunctionApp{Resource: model.Resource{Address: "fake_app." + strings.TrimSuffix(filepath.Base(p), ".app"), Type: "azurerm_linux_function_app"}}
		off := 0
		for i, line := range strings.Split(string(src), "\n") {
			n := i + 1
			r := model.Range{Filename: p, Start: model.Pos{Line: n, Column: 1, Byte: off}, End: model.Pos{Line: n, Column: len(line) + 1, Byte: off + len(line)}}
			off += len(line) + 1
			switch {
			case line == "broken":
				diags = append(diags, model.Diagnostic{Severity: model.SevError, Summary: "Broken line", Range: r})
			case strings.HasPrefix(line, "https_only = "):
				f := strings.Fields(strings.TrimPrefix(line, "https_only = "))
				if f[0] == "?" {
					app.HTTPSOnly = model.Unresolved[bool](r, app.Address, "depends on var.x")
					continue
				}
				v := f[0] == "true"
				var trail *model.Trail
				if len(f) == 3 {
					file, ln, _ := strings.Cut(f[2], ":")
					lineNo, _ := strconv.Atoi(ln)
					other := model.Range{Filename: filepath.Join(filepath.Dir(p), file), Start: model.Pos{Line: lineNo, Column: 1}, End: model.Pos{Line: lineNo, Column: 1}}
					if f[1] == "@" {
						r = other
					} else {
						trail = model.TrailOf(model.Hop{Kind: model.HopVariable, Name: "var.https", Range: other})
					}
				}
				app.HTTPSOnly = model.SetVia(v, r, app.Address, trail)
			}
		}
		mods = append(mods, &model.Module{Format: model.Terraform, Path: p, FunctionApps: []*model.FunctionApp{app}})
		return nil
	})
	return mods, diags, err
}

func (l *fakeLoader) Ignores(files []string, read func(string) ([]byte, error)) ([]model.Ignore, model.Diagnostics) {
	var out []model.Ignore
	for _, f := range files {
		src, err := read(f)
		if err != nil {
			continue
		}
		lines := strings.Split(string(src), "\n")
		for i, line := range lines {
			if rest, ok := strings.CutPrefix(line, "# ignore "); ok {
				id, reason, _ := strings.Cut(rest, " ")
				at := model.Range{Filename: f, Start: model.Pos{Line: i + 1, Column: 1}, End: model.Pos{Line: i + 1, Column: 1}}
				scope := model.Range{Filename: f, Start: model.Pos{Line: 1, Column: 1}, End: model.Pos{Line: len(lines), Column: 1}}
				out = append(out, model.Ignore{Checks: []string{id}, Reason: reason, At: at, Scope: scope})
			}
		}
	}
	return out, nil
}

func (l *fakeLoader) ARMIgnoreEntry([]byte, int, string, string) (int, string, bool) {
	return 0, "", false
}

func (l *fakeLoader) loadCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.loads
}

// checks040 are the built-in checks, AZFUNC-040 only (https_only).
func checks040(dirs []string) ([]*engine.Check, error) {
	all, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		return nil, err
	}
	if len(dirs) > 0 {
		return nil, fmt.Errorf("no checks dirs here")
	}
	return slices.DeleteFunc(all, func(c *engine.Check) bool { return c.ID != "AZFUNC-040" }), nil
}

// client is an editor over pipes to a Server run in process.
type client struct {
	t      *testing.T
	conn   jsonrpc2.Conn
	raw    io.Writer // the stream to the server, for malformed input
	out    *bytes.Buffer
	outMu  *sync.Mutex
	done   chan error
	loader *fakeLoader
	log    *lockedBuffer

	mu    sync.Mutex
	diags map[string][]protocol.Diagnostic
	count map[string]int
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

type rwc struct {
	io.Reader
	io.Writer
	closers []io.Closer
}

func (p rwc) Close() error {
	for _, c := range p.closers {
		_ = c.Close()
	}
	return nil
}

// teeWriter keeps a copy of everything the server writes.
type teeWriter struct {
	w   io.Writer
	mu  *sync.Mutex
	buf *bytes.Buffer
}

func (t teeWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	t.buf.Write(p)
	t.mu.Unlock()
	return t.w.Write(p)
}

func start(t *testing.T, root string, debounce time.Duration, initOpts map[string]any) *client {
	t.Helper()
	srvIn, toSrv := io.Pipe()
	fromSrv, srvOut := io.Pipe()
	c := &client{t: t, raw: toSrv, out: &bytes.Buffer{}, outMu: &sync.Mutex{}, done: make(chan error, 1), loader: &fakeLoader{},
		log: &lockedBuffer{}, diags: map[string][]protocol.Diagnostic{}, count: map[string]int{}}
	srv := New(Options{Loader: c.loader, Checks: checks040, Log: c.log, Debounce: debounce})
	go func() {
		c.done <- srv.Run(context.Background(), rwc{Reader: srvIn, Writer: teeWriter{w: srvOut, mu: c.outMu, buf: c.out}, closers: []io.Closer{srvIn, srvOut}})
	}()
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(rwc{Reader: fromSrv, Writer: toSrv, closers: []io.Closer{fromSrv, toSrv}}))
	c.conn.Go(context.Background(), func(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
		if req.Method() == protocol.MethodTextDocumentPublishDiagnostics {
			var p protocol.PublishDiagnosticsParams
			if err := json.Unmarshal(req.Params(), &p); err != nil {
				t.Errorf("publishDiagnostics: %v", err)
			}
			c.mu.Lock()
			c.diags[p.URI.Filename()] = p.Diagnostics
			c.count[p.URI.Filename()]++
			c.mu.Unlock()
		}
		return reply(ctx, nil, nil)
	})
	t.Cleanup(func() { _ = c.conn.Close() })
	var res protocol.InitializeResult
	c.call(protocol.MethodInitialize, map[string]any{"rootUri": uri.File(root), "capabilities": map[string]any{}, "initializationOptions": initOpts}, &res)
	c.notify(protocol.MethodInitialized, map[string]any{})
	return c
}

func (c *client) call(method string, params, result any) {
	c.t.Helper()
	if err := c.callErr(method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *client) callErr(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.conn.Call(ctx, method, params, result)
	return err
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *client) open(path, text string) {
	c.t.Helper()
	c.notify(protocol.MethodTextDocumentDidOpen, protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: uri.File(path), Version: 1, Text: text}})
}

func (c *client) change(path string, version int32, text string) {
	c.t.Helper()
	c.notify(protocol.MethodTextDocumentDidChange, protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri.File(path)}, Version: version},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{{Text: text}},
	})
}

// wait waits until the diagnostics last published for path satisfy ok.
func (c *client) wait(path, what string, ok func([]protocol.Diagnostic) bool) []protocol.Diagnostic {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c.mu.Lock()
		d, published := c.diags[path]
		c.mu.Unlock()
		if published && ok(d) {
			return d
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("timed out waiting for %s of %s; last: %+v\nlog:\n%s", what, path, d, c.log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func codesOf(ds []protocol.Diagnostic) string {
	var out []string
	for i := range ds {
		if ds[i].Code == nil {
			out = append(out, "problem:"+ds[i].Message)
		} else {
			out = append(out, fmt.Sprint(ds[i].Code))
		}
	}
	return strings.Join(out, ",")
}

func is(codes string) func([]protocol.Diagnostic) bool {
	return func(ds []protocol.Diagnostic) bool { return codesOf(ds) == codes }
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// The diagnostic of a finding: range, severity, code with its
// documentation, source, and the value's trail as related information.
func TestDiagnosticContent(t *testing.T) {
	root := t.TempDir()
	app := filepath.Join(root, "a.app")
	write(t, app, "name\nhttps_only = false via vars.txt:1\n")
	write(t, filepath.Join(root, "vars.txt"), "https = false\n")
	c := start(t, root, 0, nil)
	c.open(app, "name\nhttps_only = false via vars.txt:1\n")
	d := c.wait(app, "AZFUNC-040", is("AZFUNC-040"))[0]
	if d.Range.Start != (protocol.Position{Line: 1}) || d.Range.End != (protocol.Position{Line: 1, Character: 33}) {
		t.Errorf("range %+v", d.Range)
	}
	if d.Severity != protocol.DiagnosticSeverityError || d.Source != "azfuncscan" {
		t.Errorf("severity %v, source %q", d.Severity, d.Source)
	}
	if d.CodeDescription == nil || !strings.HasSuffix(string(d.CodeDescription.Href), "docs/checks.md#azfunc-040") {
		t.Errorf("code description %+v", d.CodeDescription)
	}
	if len(d.RelatedInformation) == 0 || d.RelatedInformation[0].Location.URI.Filename() != filepath.Join(root, "vars.txt") ||
		d.RelatedInformation[0].Location.Range.Start.Line != 0 || !strings.HasPrefix(d.RelatedInformation[0].Message, "value set here: ") {
		t.Errorf("related information %+v", d.RelatedInformation)
	}
}

func TestSeverityMapping(t *testing.T) {
	for sev, want := range map[engine.Severity]protocol.DiagnosticSeverity{
		engine.Critical: protocol.DiagnosticSeverityError,
		engine.High:     protocol.DiagnosticSeverityError,
		engine.Medium:   protocol.DiagnosticSeverityWarning,
		engine.Low:      protocol.DiagnosticSeverityInformation,
	} {
		if got := severity(sev); got != want {
			t.Errorf("severity(%s) = %v, want %v", sev, got, want)
		}
	}
}

// A finding placed in a file that is not open is published there and
// cleared when it is gone.
func TestClearedInFilesNotOpen(t *testing.T) {
	root := t.TempDir()
	app, lib := filepath.Join(root, "a.app"), filepath.Join(root, "lib.txt")
	write(t, app, "https_only = false @ lib.txt:2\n")
	write(t, lib, "x\ny\n")
	c := start(t, root, 0, nil)
	c.open(app, "https_only = false @ lib.txt:2\n")
	if d := c.wait(lib, "the finding in lib.txt", is("AZFUNC-040")); d[0].Range.Start.Line != 1 {
		t.Errorf("range %+v", d[0].Range)
	}
	c.change(app, 2, "https_only = true @ lib.txt:2\n")
	c.wait(lib, "lib.txt cleared", is(""))
}

// Undetermined findings are hidden unless the initialization options or
// the workspace configuration ask for them (then as hints).
func TestUndetermined(t *testing.T) {
	root := t.TempDir()
	app := filepath.Join(root, "a.app")
	write(t, app, "https_only = ?\nbroken\n")
	c := start(t, root, 0, nil)
	c.open(app, "https_only = ?\nbroken\n")
	c.wait(app, "the problem only", is("problem:Broken line"))

	c = start(t, root, 0, map[string]any{"showUndetermined": true})
	c.open(app, "https_only = ?\nbroken\n")
	d := c.wait(app, "the undetermined finding", is("AZFUNC-040,problem:Broken line"))
	if d[0].Severity != protocol.DiagnosticSeverityHint {
		t.Errorf("severity %v, want hint", d[0].Severity)
	}

	// The workspace configuration turns them off and on again.
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": map[string]any{"azfuncscan": map[string]any{"showUndetermined": false}}})
	c.wait(app, "hidden by the workspace configuration", is("problem:Broken line"))
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": map[string]any{"showUndetermined": true}})
	c.wait(app, "shown again", is("AZFUNC-040,problem:Broken line"))
}

// Inline suppressions and the configuration file's are honoured.
func TestSuppressions(t *testing.T) {
	root := t.TempDir()
	app := filepath.Join(root, "a.app")
	write(t, app, "https_only = false\n")
	c := start(t, root, 0, nil)
	c.open(app, "https_only = false\n")
	c.wait(app, "the finding", is("AZFUNC-040"))
	c.change(app, 2, "# ignore AZFUNC-040 behind a gateway\nhttps_only = false\n")
	c.wait(app, "suppressed inline", is(""))

	other := filepath.Join(t.TempDir(), "b.app")
	write(t, filepath.Join(filepath.Dir(other), ".azfuncscan.yaml"), "ignore:\n  - id: AZFUNC-040\n    reason: legacy app\n")
	write(t, other, "https_only = false\nbroken\n")
	c = start(t, filepath.Dir(other), 0, nil)
	c.open(other, "https_only = false\nbroken\n")
	// Evaluated (the problem is shown), the finding not.
	c.wait(other, "the problem alone", is("problem:Broken line"))
}

// Robustness: invalid params, malformed messages and unknown methods are
// answered or logged and the server goes on; a document outside the
// workspace and a file deleted while open do not stop it; stdout holds
// protocol messages only; exit after shutdown ends Run with nil.
func TestRobustness(t *testing.T) {
	root := t.TempDir()
	app := filepath.Join(root, "a.app")
	write(t, app, "https_only = false\n")
	c := start(t, root, 0, nil)

	var jerr *jsonrpc2.Error
	if err := c.callErr(protocol.MethodTextDocumentHover, map[string]any{"textDocument": 42}, nil); !errors.As(err, &jerr) || jerr.Code != jsonrpc2.InvalidParams {
		t.Errorf("hover with invalid params: %v", err)
	}
	if err := c.callErr("azfuncscan/nothing", map[string]any{}, nil); !errors.As(err, &jerr) || jerr.Code != jsonrpc2.MethodNotFound {
		t.Errorf("unknown method: %v", err)
	}
	c.notify("azfuncscan/unknownNotification", map[string]any{})
	c.notify(protocol.MethodTextDocumentDidOpen, map[string]any{"textDocument": "not an object"})
	if _, err := io.WriteString(c.raw, "Content-Length: 7\r\n\r\n{oops:}"); err != nil {
		t.Fatal(err)
	}

	// Outside the workspace: evaluated in its own directory.
	outside := filepath.Join(t.TempDir(), "o.app")
	write(t, outside, "https_only = false\n")
	c.open(outside, "https_only = false\n")
	c.wait(outside, "the outside document's finding", is("AZFUNC-040"))
	// A URI that is not a file is ignored.
	c.notify(protocol.MethodTextDocumentDidOpen, protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: "untitled:Untitled-1", Text: "x"}})

	// A file deleted while open: its buffer still counts until closed.
	c.open(app, "https_only = false\n")
	c.wait(app, "the finding", is("AZFUNC-040"))
	if err := os.Remove(app); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, protocol.DidChangeWatchedFilesParams{Changes: []*protocol.FileEvent{{URI: uri.File(app), Type: protocol.FileChangeTypeDeleted}}})
	c.notify(protocol.MethodTextDocumentDidClose, protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(app)}})
	c.wait(app, "the deleted file cleared", is(""))

	// Still answering.
	var hover *protocol.Hover
	c.call(protocol.MethodTextDocumentHover, protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(outside)}, Position: protocol.Position{Line: 0, Character: 3},
	}}, &hover)
	if hover == nil || !strings.Contains(hover.Contents.Value, "AZFUNC-040") {
		t.Errorf("hover: %+v", hover)
	}
	c.call(protocol.MethodShutdown, nil, nil)
	c.notify(protocol.MethodExit, nil)
	select {
	case err := <-c.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not end")
	}
	if !strings.Contains(c.log.String(), "malformed message") {
		t.Errorf("the malformed message is not logged:\n%s", c.log.String())
	}
	// Everything written is Content-Length framed JSON-RPC.
	c.outMu.Lock()
	out := c.out.Bytes()
	c.outMu.Unlock()
	for len(out) > 0 {
		header, rest, ok := bytes.Cut(out, []byte("\r\n\r\n"))
		n, err := strconv.Atoi(strings.TrimPrefix(string(header), "Content-Length: "))
		if !ok || err != nil || n > len(rest) {
			t.Fatalf("not a protocol message on the output: %q", out[:min(len(out), 80)])
		}
		var msg struct {
			JSONRPC string `json:"jsonrpc"`
		}
		if err := json.Unmarshal(rest[:n], &msg); err != nil || msg.JSONRPC != "2.0" {
			t.Fatalf("not JSON-RPC: %q", rest[:n])
		}
		out = rest[n:]
	}
}

// Exit without shutdown: Run says so (the command exits with status 1).
func TestExitWithoutShutdown(t *testing.T) {
	c := start(t, t.TempDir(), 0, nil)
	c.notify(protocol.MethodExit, nil)
	select {
	case err := <-c.done:
		if !errors.Is(err, ErrExitWithoutShutdown) {
			t.Errorf("Run: %v, want ErrExitWithoutShutdown", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not end")
	}
}

// A burst of 100 changes within the debounce is evaluated once, with the
// last text.
func TestBurstDebounced(t *testing.T) {
	root := t.TempDir()
	app := filepath.Join(root, "a.app")
	write(t, app, "https_only = true\n")
	const debounce = 300 * time.Millisecond
	c := start(t, root, debounce, nil)
	c.open(app, "https_only = true\n")
	for deadline := time.Now().Add(10 * time.Second); c.loader.loadCount() < 1; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the open was not evaluated")
		}
	}
	begin := time.Now()
	for i := range 100 {
		c.change(app, int32(i+2), fmt.Sprintf("https_only = %t\n", i%2 == 0)) // the last (i = 99): false
	}
	if took := time.Since(begin); took > debounce/2 {
		t.Skipf("sending the burst took %v, longer than half the debounce: the machine is too busy to tell", took)
	}
	c.wait(app, "the last change's finding", is("AZFUNC-040"))
	time.Sleep(2 * debounce)
	if n := c.loader.loadCount(); n != 2 {
		t.Errorf("%d evaluations, want 2 (the open, then one for the burst)", n)
	}
}
