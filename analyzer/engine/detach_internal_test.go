package engine

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// shares reports whether s points into the memory of text.
func shares(s, text string) bool {
	if s == "" {
		return false
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	lo := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	return p >= lo && p < lo+uintptr(len(text))
}

func TestDetachCopiesStringsOutOfTheSource(t *testing.T) {
	// A parser's strings are slices of the file's text, as the ARM
	// reader's are.
	text := strings.Repeat(" ", 1000) + `"azurerm_linux_function_app.app" main.tf site_config.x "hop" "msg"`
	at := func(s string) string {
		i := strings.Index(text, s)
		return text[i : i+len(s)]
	}
	addr, file := at("azurerm_linux_function_app.app"), at("main.tf")
	fs := []Finding{
		{CheckID: "AZFUNC-001", Resource: addr, Range: model.Range{Filename: file}, Path: at("site_config.x"), Message: at("msg"),
			Related: []Related{{Message: at("msg"), Range: model.Range{Filename: file}}},
			Apps:    []string{addr}, Trail: []model.Hop{{Name: at("hop"), Range: model.Range{Filename: file}}},
			Fix: &Fix{Message: at("msg"), Edits: []model.Edit{{Range: model.Range{Filename: file}, Path: []string{at("site_config.x")}}}}},
		{CheckID: "AZFUNC-002", Resource: addr, Range: model.Range{Filename: file}},
	}
	message := fs[0].Message
	detach(fs, nil)
	// A message is made for its finding (msgTemplate.render): detach
	// keeps it as it is (TestMessagesAndFingerprintsHoldNoSource).
	if unsafe.StringData(fs[0].Message) != unsafe.StringData(message) {
		t.Error("detach copied a message")
	}
	for i, f := range fs {
		strs := []string{f.CheckID, f.Resource, f.Range.Filename, f.Path}
		for _, r := range f.Related {
			strs = append(strs, r.Message, r.Range.Filename)
		}
		strs = append(strs, f.Apps...)
		for _, h := range f.Trail {
			strs = append(strs, h.Name, h.Range.Filename)
		}
		if f.Fix != nil {
			strs = append(strs, f.Fix.Message)
			for _, e := range f.Fix.Edits {
				strs = append(strs, e.Range.Filename)
				strs = append(strs, e.Path...)
			}
		}
		for _, s := range strs {
			if shares(s, text) {
				t.Errorf("finding %d: %q still points into the source text", i, s)
			}
		}
	}
	if fs[0].Resource != "azurerm_linux_function_app.app" || fs[0].Trail[0].Name != "hop" || fs[0].Fix.Edits[0].Path[0] != "site_config.x" {
		t.Errorf("values changed: %+v", fs[0])
	}
	// Equal strings of one Run share one copy.
	if unsafe.StringData(fs[0].Resource) != unsafe.StringData(fs[1].Resource) || unsafe.StringData(fs[0].Range.Filename) != unsafe.StringData(fs[1].Range.Filename) {
		t.Error("equal strings of one Run are copied more than once")
	}
}

// TestDetachSharesStringsAcrossRuns: with a table, the vocabulary of the
// findings of two Runs (two modules' texts: check ids, paths, hints) is
// one copy, out of both sources; a module's own text (addresses, file
// names) is copied but not kept in the table, which so stays small
// however many findings a scan has, nor are messages and fingerprints
// (made for their finding, not copied); the values do not change.
func TestDetachSharesStringsAcrossRuns(t *testing.T) {
	mk := func() (string, []Finding) {
		text := strings.Repeat(" ", 100) + `azurerm_linux_function_app.app|main.tf|Function app has no HTTPS|0123456789abcdef`
		at := func(s string) string {
			i := strings.Index(text, s)
			return text[i : i+len(s)]
		}
		return text, []Finding{{CheckID: "AZFUNC-040", Resource: at("azurerm_linux_function_app.app"), Range: model.Range{Filename: at("main.tf")},
			Message: at("Function app has no HTTPS"), Fingerprint: at("0123456789abcdef"), NoFix: "hint", Path: at("0123")}}
	}
	var st Strings
	text1, a := mk()
	text2, b := mk()
	detach(a, &st)
	detach(b, &st)
	for _, s := range []string{a[0].Resource, a[0].Range.Filename, b[0].Resource} {
		if shares(s, text1) || shares(s, text2) {
			t.Errorf("%q still points into a source text", s)
		}
	}
	if unsafe.StringData(a[0].CheckID) != unsafe.StringData(b[0].CheckID) || unsafe.StringData(a[0].Path) != unsafe.StringData(b[0].Path) ||
		unsafe.StringData(a[0].NoFix) != unsafe.StringData(b[0].NoFix) {
		t.Error("the vocabulary of two Runs is not one copy")
	}
	for _, s := range []string{a[0].Fingerprint, a[0].Message, a[0].Resource, a[0].Range.Filename} {
		if _, ok := st.m[s]; ok {
			t.Errorf("the table keeps %q", s)
		}
	}
	if a[0].Message != "Function app has no HTTPS" || b[0].Fingerprint != "0123456789abcdef" || b[0].Range.Filename != "main.tf" {
		t.Errorf("values changed: %+v", b[0])
	}
	// Without a table, two Runs have their own copies.
	_, c := mk()
	_, d := mk()
	detach(c, nil)
	detach(d, nil)
	if unsafe.StringData(c[0].Resource) == unsafe.StringData(d[0].Resource) {
		t.Error("without a table two Runs share a copy")
	}
}

// TestDetachConsecutiveFindings: findings in a row with the same string
// at a place, then another, then the first again (in memory of its own),
// get each its value, copied out of the source, the equal ones one copy.
func TestDetachConsecutiveFindings(t *testing.T) {
	text := strings.Repeat(" ", 100) + "res.a res.b main.tf other.tf AZFUNC-001 AZFUNC-002"
	at := func(s string) string {
		i := strings.Index(text, s)
		return text[i : i+len(s)]
	}
	again := strings.Clone("res.a")
	fs := []Finding{
		{CheckID: at("AZFUNC-001"), Resource: at("res.a"), Range: model.Range{Filename: at("main.tf")}, Apps: []string{at("res.a")}},
		{CheckID: at("AZFUNC-001"), Resource: at("res.a"), Range: model.Range{Filename: at("main.tf")}, Apps: []string{at("res.a"), at("res.b")}},
		{CheckID: at("AZFUNC-002"), Resource: at("res.b"), Range: model.Range{Filename: at("other.tf")}, Apps: []string{at("res.b")}},
		{CheckID: at("AZFUNC-001"), Resource: again, Range: model.Range{Filename: at("main.tf")}, Apps: []string{again}},
	}
	var st Strings
	detach(fs, &st)
	want := []struct{ check, res, file string }{
		{"AZFUNC-001", "res.a", "main.tf"}, {"AZFUNC-001", "res.a", "main.tf"},
		{"AZFUNC-002", "res.b", "other.tf"}, {"AZFUNC-001", "res.a", "main.tf"},
	}
	for i, f := range fs {
		if f.CheckID != want[i].check || f.Resource != want[i].res || f.Range.Filename != want[i].file || f.Apps[0] != f.Resource {
			t.Errorf("finding %d: %s %s %s %v, want %+v", i, f.CheckID, f.Resource, f.Range.Filename, f.Apps, want[i])
		}
		for _, s := range append([]string{f.CheckID, f.Resource, f.Range.Filename}, f.Apps...) {
			if shares(s, text) {
				t.Errorf("finding %d: %q still points into the source text", i, s)
			}
		}
	}
	if fs[1].Apps[1] != "res.b" {
		t.Errorf("finding 1: apps %v", fs[1].Apps)
	}
	if unsafe.StringData(fs[0].Resource) != unsafe.StringData(fs[3].Resource) || unsafe.StringData(fs[0].Resource) != unsafe.StringData(fs[1].Apps[0]) {
		t.Error("equal resources of one Run are copied more than once")
	}
}
