package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// lspClient drives a language server in process, over pipes, as an
// editor would: requests, notifications, and the diagnostics it publishes.
type lspClient struct {
	t      testing.TB
	conn   jsonrpc2.Conn
	toSrv  *io.PipeWriter // the raw stream to the server, for malformed input
	done   chan error     // the server's Run result
	stderr *syncBuffer
	loader *lspLoader // the server's, to count the files it parsed

	mu    sync.Mutex
	diags map[string][]protocol.Diagnostic // last published, by file path
	seen  chan struct{}                    // signalled on every publication
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

type pipeRWC struct {
	io.Reader
	io.Writer
	closers []io.Closer
}

func (p pipeRWC) Close() error {
	for _, c := range p.closers {
		_ = c.Close()
	}
	return nil
}

func startLSP(t testing.TB, root string, initOpts map[string]any) *lspClient {
	t.Helper()
	srvIn, toSrv := io.Pipe()
	fromSrv, srvOut := io.Pipe()
	c := &lspClient{t: t, toSrv: toSrv, done: make(chan error, 1), stderr: &syncBuffer{},
		diags: map[string][]protocol.Diagnostic{}, seen: make(chan struct{}, 1)}
	c.loader = newLSPLoader()
	srv := newLSPServer(c.stderr, c.loader)
	go func() {
		c.done <- srv.Run(context.Background(), pipeRWC{Reader: srvIn, Writer: srvOut, closers: []io.Closer{srvIn, srvOut}})
	}()
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(pipeRWC{Reader: fromSrv, Writer: toSrv, closers: []io.Closer{fromSrv, toSrv}}))
	c.conn.Go(context.Background(), func(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
		if req.Method() == protocol.MethodTextDocumentPublishDiagnostics {
			var p protocol.PublishDiagnosticsParams
			if err := json.Unmarshal(req.Params(), &p); err != nil {
				t.Errorf("publishDiagnostics: %v", err)
			}
			c.mu.Lock()
			c.diags[p.URI.Filename()] = p.Diagnostics
			c.mu.Unlock()
			select {
			case c.seen <- struct{}{}:
			default:
			}
		}
		return reply(ctx, nil, nil)
	})
	t.Cleanup(func() { _ = c.conn.Close() })
	var res protocol.InitializeResult
	c.call(protocol.MethodInitialize, map[string]any{
		"processId": os.Getpid(), "rootUri": uri.File(root), "capabilities": map[string]any{},
		"initializationOptions": initOpts,
	}, &res)
	if res.ServerInfo == nil || res.ServerInfo.Name != "azfuncscan" {
		t.Fatalf("initialize: server info %+v", res.ServerInfo)
	}
	c.notify(protocol.MethodInitialized, map[string]any{})
	return c
}

func (c *lspClient) call(method string, params, result any) {
	c.t.Helper()
	if err := c.callErr(method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *lspClient) callErr(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.conn.Call(ctx, method, params, result)
	return err
}

func (c *lspClient) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *lspClient) open(path string) {
	c.t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		c.t.Fatal(err)
	}
	c.notify(protocol.MethodTextDocumentDidOpen, protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: uri.File(path), LanguageID: "terraform", Version: 1, Text: string(text),
	}})
}

func (c *lspClient) change(path string, version int32, text string) {
	c.t.Helper()
	c.notify(protocol.MethodTextDocumentDidChange, protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri.File(path)}, Version: version},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{{Text: text}},
	})
}

// waitDiags waits until the diagnostics last published for path satisfy
// ok, and returns them.
func (c *lspClient) waitDiags(path string, what string, ok func([]protocol.Diagnostic) bool) []protocol.Diagnostic {
	c.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		c.mu.Lock()
		d, published := c.diags[path]
		c.mu.Unlock()
		if published && ok(d) {
			return d
		}
		select {
		case <-c.seen:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			c.t.Fatalf("timed out waiting for %s of %s; last published: %s\nserver log:\n%s", what, path, describe(d), c.stderr.String())
		}
	}
}

func codes(ds []protocol.Diagnostic) []string {
	var out []string
	for i := range ds {
		out = append(out, fmt.Sprint(ds[i].Code))
	}
	return out
}

func describe(ds []protocol.Diagnostic) string {
	var b strings.Builder
	for i := range ds {
		d := &ds[i]
		fmt.Fprintf(&b, "%d:%d-%d:%d %v %s; ", d.Range.Start.Line, d.Range.Start.Character, d.Range.End.Line, d.Range.End.Character, d.Code, d.Message)
	}
	return b.String()
}

func hasCodes(want ...string) func([]protocol.Diagnostic) bool {
	return func(ds []protocol.Diagnostic) bool { return strings.Join(codes(ds), ",") == strings.Join(want, ",") }
}

// The language server over JSON-RPC: the findings of a module called
// from two roots, published on the module's file while the root's tfvars
// is edited; fixed through the buffer, they are cleared; hover and the
// suppress code action; robustness against malformed and unknown
// messages, files outside the workspace and deleted files, a burst of
// changes; shutdown and exit.
func TestLSP(t *testing.T) {
	root := t.TempDir()
	copyTree(t, filepath.Join("..", "..", "testdata", "terraform", "roots-dev-prod"), root)
	mainTF := filepath.Join(root, "modules", "app", "main.tf")
	tfvars := filepath.Join(root, "envs", "dev", "terraform.tfvars")
	c := startLSP(t, root, nil)

	// Opening the module evaluates the roots that call it; the findings
	// (dev's, from its tfvars) point into the module.
	c.open(mainTF)
	ds := c.waitDiags(mainTF, "the dev findings", hasCodes("AZFUNC-040", "AZFUNC-041"))
	d := ds[0]
	if d.Range.Start != (protocol.Position{Line: 53, Character: 51}) || d.Range.End != (protocol.Position{Line: 53, Character: 65}) {
		t.Errorf("AZFUNC-040 range = %+v, want 53:51-53:65 (var.https_only)", d.Range)
	}
	if d.Severity != protocol.DiagnosticSeverityError || d.Source != "azfuncscan" ||
		d.CodeDescription == nil || d.CodeDescription.Href != "https://github.com/azfuncscan/azfuncscan/blob/main/docs/checks.md#azfunc-040" {
		t.Errorf("AZFUNC-040 = %+v", d)
	}
	if !strings.Contains(d.Message, "does not enforce HTTPS-only") {
		t.Errorf("message %q", d.Message)
	}
	if len(d.RelatedInformation) != 5 {
		t.Fatalf("related information: %+v", d.RelatedInformation)
	}
	origin := d.RelatedInformation[0]
	if origin.Message != "value set here: var-file var.https_only" || origin.Location.URI.Filename() != tfvars ||
		origin.Location.Range.Start != (protocol.Position{Line: 0, Character: 18}) {
		t.Errorf("value origin = %+v", origin)
	}
	if last := d.RelatedInformation[4]; last.Message != "module.app is called here" ||
		last.Location.URI.Filename() != filepath.Join(root, "envs", "dev", "main.tf") || last.Location.Range.Start.Line != 12 {
		t.Errorf("module call = %+v", last)
	}

	// Hover on the flagged value: title, why, and the Terraform fix.
	var hover protocol.Hover
	c.call(protocol.MethodTextDocumentHover, protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(mainTF)}, Position: protocol.Position{Line: 53, Character: 55},
	}}, &hover)
	if v := hover.Contents.Value; !strings.Contains(v, "AZFUNC-040") || !strings.Contains(v, "(terraform)") || !strings.Contains(v, "https_only = true") {
		t.Errorf("hover:\n%s", v)
	}

	// The suppress code action inserts the comment above the line.
	var actions []protocol.CodeAction
	c.call(protocol.MethodTextDocumentCodeAction, protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(mainTF)},
		Range:        protocol.Range{Start: protocol.Position{Line: 53, Character: 55}, End: protocol.Position{Line: 53, Character: 55}},
	}, &actions)
	// First the fix, preferred: it edits where the value was written,
	// dev's terraform.tfvars, not the module.
	if len(actions) != 2 || actions[1].Title != "Suppress AZFUNC-040 here (with reason)" || actions[1].Edit == nil {
		t.Fatalf("code actions: %+v", actions)
	}
	if fx := actions[0]; !strings.HasPrefix(fx.Title, "Fix: set var.https_only") || !fx.IsPreferred || fx.Kind != protocol.QuickFix || fx.Edit == nil ||
		len(fx.Edit.Changes) != 1 || len(fx.Edit.Changes[uri.File(tfvars)]) != 1 {
		t.Errorf("fix action: %+v", fx)
	} else if e := fx.Edit.Changes[uri.File(tfvars)][0]; e.NewText != "true" ||
		e.Range != (protocol.Range{Start: protocol.Position{Line: 0, Character: 18}, End: protocol.Position{Line: 0, Character: 23}}) {
		t.Errorf("fix edit: %+v", e)
	}
	edits := actions[1].Edit.Changes[uri.File(mainTF)]
	if len(edits) != 1 || edits[0].Range.Start != (protocol.Position{Line: 53}) ||
		edits[0].NewText != "  # azfuncscan:ignore[AZFUNC-040] TODO: say why this is acceptable\n" {
		t.Fatalf("edit: %+v", edits)
	}
	// Applied in the buffer (not saved), it suppresses the finding.
	src, _ := os.ReadFile(mainTF)
	lines := strings.SplitAfter(string(src), "\n")
	suppressed := strings.Join(lines[:53], "") + edits[0].NewText + strings.Join(lines[53:], "")
	c.change(mainTF, 2, suppressed)
	c.waitDiags(mainTF, "AZFUNC-040 suppressed", hasCodes("AZFUNC-041"))
	c.change(mainTF, 3, string(src))
	c.waitDiags(mainTF, "AZFUNC-040 back", hasCodes("AZFUNC-040", "AZFUNC-041"))

	// Fixing the values in the (unsaved) tfvars buffer clears the
	// module's diagnostics.
	c.open(tfvars)
	c.change(tfvars, 2, "https_only      = true\nmin_tls_version = \"1.2\"\n")
	c.waitDiags(mainTF, "cleared diagnostics", hasCodes())

	// Robustness. A malformed message is skipped.
	if _, err := io.WriteString(c.toSrv, "Content-Length: 9\r\n\r\n{\"bad\": }"); err != nil {
		t.Fatal(err)
	}
	// An unknown request is an error reply, an unknown notification
	// nothing.
	var jerr *jsonrpc2.Error
	if err := c.callErr("azfuncscan/unknown", map[string]any{}, nil); !errors.As(err, &jerr) || jerr.Code != jsonrpc2.MethodNotFound {
		t.Errorf("unknown method: %v", err)
	}
	c.notify("azfuncscan/unknownNotification", map[string]any{})
	// Invalid params are an error reply.
	if err := c.callErr(protocol.MethodTextDocumentHover, []int{1}, nil); !errors.As(err, &jerr) || jerr.Code != jsonrpc2.InvalidParams {
		t.Errorf("invalid params: %v", err)
	}
	// A document outside the workspace, a non-file URI.
	outside := filepath.Join(t.TempDir(), "main.tf")
	if err := os.WriteFile(outside, []byte("resource \"azurerm_linux_function_app\" \"x\" {\n  https_only = false\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.open(outside)
	c.waitDiags(outside, "findings outside the workspace", func(ds []protocol.Diagnostic) bool {
		return strings.Contains(strings.Join(codes(ds), ","), "AZFUNC-040")
	})
	c.notify(protocol.MethodTextDocumentDidOpen, map[string]any{"textDocument": map[string]any{"uri": "untitled:Untitled-1", "languageId": "terraform", "version": 1, "text": "x"}})
	// A burst of 100 changes in a second ends in the last one's result.
	insecure := "https_only      = false\nmin_tls_version = \"1.2\"\n"
	for i := range 100 {
		text := "https_only      = true\nmin_tls_version = \"1.2\"\n"
		if i == 99 {
			text = insecure
		}
		c.change(tfvars, int32(3+i), text)
		time.Sleep(10 * time.Millisecond)
	}
	c.waitDiags(mainTF, "the burst's last change", hasCodes("AZFUNC-040"))
	// A file deleted while open.
	if err := os.Remove(mainTF); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, protocol.DidChangeWatchedFilesParams{Changes: []*protocol.FileEvent{{URI: uri.File(mainTF), Type: protocol.FileChangeTypeDeleted}}})
	c.change(mainTF, 4, string(src)+"\n")
	c.notify(protocol.MethodTextDocumentDidClose, protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(mainTF)}})
	c.waitDiags(mainTF, "the deleted file's diagnostics cleared", hasCodes())

	// Still answering after all that.
	c.call(protocol.MethodTextDocumentHover, protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(tfvars)}, Position: protocol.Position{Line: 0, Character: 1},
	}}, &hover)
	c.call(protocol.MethodShutdown, nil, nil)
	c.notify(protocol.MethodExit, nil)
	select {
	case err := <-c.done:
		if err != nil {
			t.Errorf("Run after shutdown and exit: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not end after exit")
	}
	t.Logf("server log:\n%s", c.stderr.String())
	if log := c.stderr.String(); !strings.Contains(log, "malformed message") {
		t.Errorf("the malformed message is not in the log:\n%s", log)
	}
}

// writeModule writes a Terraform module of n files: one function app
// whose https_only the benchmark toggles, and n-1 files of other
// resources, variables and locals.
func writeModule(t testing.TB, dir string, n int) string {
	t.Helper()
	app := filepath.Join(dir, "app.tf")
	files := map[string]string{"app.tf": appTF(false)}
	for i := 1; i < n; i++ {
		files[fmt.Sprintf("part%02d.tf", i)] = fmt.Sprintf(`variable "name_%[1]d" {
  type    = string
  default = "part-%[1]d"
}

locals {
  tags_%[1]d = { part = var.name_%[1]d, index = "%[1]d" }
}

resource "azurerm_storage_account" "s%[1]d" {
  name                            = "st${replace(var.name_%[1]d, "-", "")}"
  resource_group_name             = "rg"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  tags                            = local.tags_%[1]d
}

resource "azurerm_service_plan" "p%[1]d" {
  name                = "asp-${var.name_%[1]d}"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "EP1"
  tags                = local.tags_%[1]d
}
`, i)
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return app
}

func appTF(https bool) string {
	return fmt.Sprintf(`resource "azurerm_linux_function_app" "app" {
  name                 = "func-bench"
  resource_group_name  = "rg"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.p1.id
  storage_account_name = azurerm_storage_account.s1.name
  https_only           = %t
}
`, https)
}

func has040(ds []protocol.Diagnostic) bool {
	return strings.Contains(strings.Join(codes(ds), ","), "AZFUNC-040")
}

// TestLSPChangeParsesOneFile: after a change of one file of a 50-file
// module, the server's evaluation parses that file only (the others come
// from the parse cache) and publishes the diagnostics of the new text.
func TestLSPChangeParsesOneFile(t *testing.T) {
	dir := t.TempDir()
	app := writeModule(t, dir, 50)
	c := startLSP(t, dir, nil)
	c.open(app)
	c.waitDiags(app, "the first findings", has040)
	before := c.loader.cache.Parses()
	if before < 50 {
		t.Fatalf("the first evaluation parsed %d files, want at least 50", before)
	}
	c.change(app, 2, appTF(true))
	c.waitDiags(app, "the fixed finding cleared", func(ds []protocol.Diagnostic) bool { return !has040(ds) })
	if got := c.loader.cache.Parses() - before; got != 1 {
		t.Errorf("the change of one file parsed %d files, want 1", got)
	}
}

// BenchmarkLSPChange measures, in a module of 50 files, the time from a
// change of one file (didChange) to the diagnostics published for it,
// debounce included.
func BenchmarkLSPChange(b *testing.B) {
	dir := b.TempDir()
	app := writeModule(b, dir, 50)
	c := startLSP(b, dir, nil)
	c.open(app)
	c.waitDiags(app, "the first findings", has040)
	version := int32(1)
	b.ResetTimer()
	for i := range b.N {
		fixed := i%2 == 0
		version++
		c.change(app, version, appTF(fixed))
		c.waitDiags(app, "the change's findings", func(ds []protocol.Diagnostic) bool { return has040(ds) != fixed })
	}
}

// TestLSPExitStatus: azfuncscan lsp ends with status 0 on exit after
// shutdown and with status 1 on exit alone, as the protocol says; stdout
// holds nothing but framed protocol messages.
func TestLSPExitStatus(t *testing.T) {
	frame := func(msg string) string { return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(msg), msg) }
	for _, tc := range []struct {
		name     string
		shutdown bool
		want     int
	}{{"shutdown then exit", true, 0}, {"exit alone", false, 1}} {
		t.Run(tc.name, func(t *testing.T) {
			in := frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`)
			if tc.shutdown {
				in += frame(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`)
			}
			in += frame(`{"jsonrpc":"2.0","method":"exit"}`)
			var stdout, stderr syncBuffer
			e := &env{stdout: &stdout, stderr: &stderr}
			root := newRootCmd(e)
			root.SetArgs([]string{"lsp"})
			root.SetIn(strings.NewReader(in))
			_, err := root.ExecuteContextC(context.Background())
			if got := exitCode(err); got != tc.want {
				t.Errorf("exit status %d (%v), want %d", got, err, tc.want)
			}
			out := stdout.String()
			replies := 1
			if tc.shutdown {
				replies = 2
			}
			if n := strings.Count(out, "Content-Length: "); n != replies {
				t.Errorf("%d messages on stdout, want %d:\n%s", n, replies, out)
			}
			if !strings.HasPrefix(out, "Content-Length: ") {
				t.Errorf("stdout does not start with a protocol message:\n%s", out)
			}
		})
	}
}

// applyEdits applies text edits (positions in UTF-16 units) to text,
// as an editor would.
func applyEdits(t *testing.T, text string, edits []protocol.TextEdit) string {
	t.Helper()
	offset := func(p protocol.Position) int {
		lines := strings.SplitAfter(text, "\n")
		if int(p.Line) >= len(lines) {
			t.Fatalf("edit at line %d of %d", p.Line, len(lines))
		}
		off := 0
		for _, l := range lines[:p.Line] {
			off += len(l)
		}
		u := utf16.Encode([]rune(lines[p.Line]))
		return off + len(string(utf16.Decode(u[:p.Character])))
	}
	sort.SliceStable(edits, func(i, j int) bool { return offset(edits[i].Range.Start) > offset(edits[j].Range.Start) })
	for _, e := range edits {
		text = text[:offset(e.Range.Start)] + e.NewText + text[offset(e.Range.End):]
	}
	return text
}

// suppressVia asks for the code actions at line (0-based) of path, takes
// the one suppressing id, applies it to the buffer and returns the text.
func (c *lspClient) suppressVia(path string, line uint32, id, text string) string {
	c.t.Helper()
	var actions []protocol.CodeAction
	at := protocol.Position{Line: line, Character: 2}
	c.call(protocol.MethodTextDocumentCodeAction, protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(path)},
		Range:        protocol.Range{Start: at, End: at},
	}, &actions)
	for _, a := range actions {
		if a.Title == "Suppress "+id+" here (with reason)" && a.Edit != nil {
			return applyEdits(c.t.(*testing.T), text, a.Edit.Changes[uri.File(path)])
		}
	}
	c.t.Fatalf("no action suppressing %s at %s:%d: %+v", id, path, line+1, actions)
	return ""
}

// The suppress code action in an ARM template adds the entry to the
// resource's metadata.azfuncscan.ignore, creating the metadata, and in a
// list that exists appends to it; applied in the buffer, the finding
// goes, the template's other resource keeps its own.
func TestLSPSuppressARM(t *testing.T) {
	root := t.TempDir()
	copyTree(t, filepath.Join("..", "..", "testdata", "arm", "040-https-only"), root)
	tmpl := filepath.Join(root, "azuredeploy.json")
	c := startLSP(t, root, nil)
	c.open(tmpl)
	lines040 := func(want ...uint32) func([]protocol.Diagnostic) bool {
		return func(ds []protocol.Diagnostic) bool {
			var got []uint32
			for i := range ds {
				if ds[i].Code == "AZFUNC-040" {
					got = append(got, ds[i].Range.Start.Line)
				}
			}
			return fmt.Sprint(got) == fmt.Sprint(want)
		}
	}
	c.waitDiags(tmpl, "AZFUNC-040 on lines 70 and 158", lines040(69, 157))
	src, err := os.ReadFile(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	text := c.suppressVia(tmpl, 69, "AZFUNC-040", string(src))
	var doc map[string]any
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("the edited template is not JSON: %v\n%s", err, text)
	}
	if !strings.Contains(text, `"metadata": {"azfuncscan": {"ignore": [{"id": "AZFUNC-040", "reason": "TODO: say why this is acceptable"}]}},`) {
		t.Errorf("no metadata entry in:\n%s", text)
	}
	c.change(tmpl, 2, text)
	// The first resource's finding is suppressed; the one further down
	// moved by a line.
	c.waitDiags(tmpl, "the first AZFUNC-040 suppressed", lines040(158))

	// The other resource: its own metadata, then a second entry appended
	// to the list that now exists.
	text = c.suppressVia(tmpl, 158, "AZFUNC-040", text)
	c.change(tmpl, 3, text)
	ds := c.waitDiags(tmpl, "both AZFUNC-040 suppressed", lines040())
	line := -1
	for i := range ds {
		if ds[i].Code == "AZFUNC-027" && strings.Contains(ds[i].Message, "func-https-explicit") {
			line = int(ds[i].Range.Start.Line)
		}
	}
	if line < 0 {
		t.Fatalf("no AZFUNC-027 on the second app: %s", describe(ds))
	}
	text = c.suppressVia(tmpl, uint32(line), "AZFUNC-027", text)
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("the edited template is not JSON: %v\n%s", err, text)
	}
	if !strings.Contains(text, `"ignore": [{"id": "AZFUNC-027", "reason": "TODO: say why this is acceptable"}, {"id": "AZFUNC-040", "reason": "TODO: say why this is acceptable"}]`) {
		t.Errorf("no second entry in:\n%s", text)
	}
	c.change(tmpl, 4, text)
	c.waitDiags(tmpl, "both suppressed, and AZFUNC-027 on the second app too", func(ds []protocol.Diagnostic) bool {
		var n027 int
		for i := range ds {
			if ds[i].Code == "AZFUNC-027" {
				if strings.Contains(ds[i].Message, "func-https-explicit") {
					return false
				}
				n027++
			}
		}
		return lines040()(ds) && n027 == 2 // the template's other two apps
	})
}

// In a .bicep file holding findings (its compiled template beside it),
// the action inserts a // azfuncscan:ignore comment above the line, which
// the CLI reads too.
func TestLSPSuppressBicep(t *testing.T) {
	root := t.TempDir()
	copyTree(t, filepath.Join("..", "..", "testdata", "arm", "bicep-source", "lang1"), root)
	bicep := filepath.Join(root, "main.bicep")
	c := startLSP(t, root, nil)
	c.open(bicep)
	ds := c.waitDiags(bicep, "the Bicep findings", func(ds []protocol.Diagnostic) bool {
		return strings.Contains(strings.Join(codes(ds), ","), "AZFUNC-040")
	})
	var line uint32
	for i := range ds {
		if ds[i].Code == "AZFUNC-040" {
			line = ds[i].Range.Start.Line
		}
	}
	src, err := os.ReadFile(bicep)
	if err != nil {
		t.Fatal(err)
	}
	text := c.suppressVia(bicep, line, "AZFUNC-040", string(src))
	if !strings.Contains(text, "    // azfuncscan:ignore[AZFUNC-040] TODO: say why this is acceptable\n    httpsOnly: false") {
		t.Errorf("no comment above httpsOnly:\n%s", text)
	}
	c.change(bicep, 2, text)
	c.waitDiags(bicep, "AZFUNC-040 suppressed", func(ds []protocol.Diagnostic) bool {
		s := strings.Join(codes(ds), ",")
		return !strings.Contains(s, "AZFUNC-040") && strings.Contains(s, "AZFUNC-041")
	})
	// The CLI reads the comment the same way.
	if err := os.WriteFile(bicep, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stdout, _ := cli(t, "scan", "--format", "json", root)
	var rep any
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("scan --format json: %v", err)
	}
	suppressed := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if id, ok := v["check_id"].(string); ok {
				suppressed[id] = suppressed[id] || v["suppression"] != nil
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(rep)
	if s, found := suppressed["AZFUNC-040"]; !found || !s || suppressed["AZFUNC-041"] {
		t.Errorf("the CLI after the edit: suppressed %v", suppressed)
	}
}
