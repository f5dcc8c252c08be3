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
			Fix: &Fix{Message: at("msg"), Edit: model.Edit{Range: model.Range{Filename: file}, Path: []string{at("site_config.x")}}}},
		{CheckID: "AZFUNC-002", Resource: addr, Range: model.Range{Filename: file}},
	}
	detach(fs)
	for i, f := range fs {
		strs := []string{f.CheckID, f.Resource, f.Range.Filename, f.Path, f.Message}
		for _, r := range f.Related {
			strs = append(strs, r.Message, r.Range.Filename)
		}
		strs = append(strs, f.Apps...)
		for _, h := range f.Trail {
			strs = append(strs, h.Name, h.Range.Filename)
		}
		if f.Fix != nil {
			strs = append(strs, f.Fix.Message, f.Fix.Edit.Range.Filename)
			strs = append(strs, f.Fix.Edit.Path...)
		}
		for _, s := range strs {
			if shares(s, text) {
				t.Errorf("finding %d: %q still points into the source text", i, s)
			}
		}
	}
	if fs[0].Resource != "azurerm_linux_function_app.app" || fs[0].Trail[0].Name != "hop" || fs[0].Fix.Edit.Path[0] != "site_config.x" {
		t.Errorf("values changed: %+v", fs[0])
	}
	// Equal strings of one Run share one copy.
	if unsafe.StringData(fs[0].Resource) != unsafe.StringData(fs[1].Resource) || unsafe.StringData(fs[0].Range.Filename) != unsafe.StringData(fs[1].Range.Filename) {
		t.Error("equal strings of one Run are copied more than once")
	}
}
