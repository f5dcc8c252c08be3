package report

import (
	"iter"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// RootSeparator joins a root and a resource address in a qualified name
// (envs/dev//module.app.azurerm_linux_function_app.this), as Terraform's
// module sources separate a package from the directory inside it.
const RootSeparator = "//"

// qualifiedName is a finding's resource address qualified by the root it
// was evaluated from; the bare address when the root is not known.
func qualifiedName(f *engine.Finding) string {
	if f.Root == "" || f.Resource == "" {
		return f.Resource
	}
	return f.Root + RootSeparator + f.Resource
}

// hopText describes a trail hop of finding f: its kind, then its name
// ("var-file var.https_only"); an attribute hop without a name is named by
// the finding's attribute path.
func hopText(f *engine.Finding, h model.Hop) string {
	name := h.Name
	if name == "" && h.Kind == model.HopAttribute {
		name = f.Path
	}
	return strings.TrimSpace(string(h.Kind) + " " + name)
}

// samePlace reports whether two ranges start at the same place.
func samePlace(a, b model.Range) bool {
	return a.Filename == b.Filename && a.Start == b.Start
}

// valueOrigin returns the first hop of the finding's trail when it is
// somewhere else than the finding's location: where the deciding value
// was written. An origin without a file names no place to show.
func valueOrigin(f *engine.Finding) (model.Hop, bool) {
	if len(f.Trail) == 0 || f.Trail[0].Range.Filename == "" || samePlace(f.Trail[0].Range, f.Range) {
		return model.Hop{}, false
	}
	return f.Trail[0], true
}

// intermediateHops returns the hops between the origin and the finding's
// location.
func intermediateHops(f *engine.Finding) []model.Hop {
	if len(f.Trail) < 2 {
		return nil
	}
	hops := f.Trail[1:]
	if samePlace(hops[len(hops)-1].Range, f.Range) {
		hops = hops[:len(hops)-1]
	}
	return hops
}

// multiRootFiles returns the files (as findings name them) that findings
// from more than one root point at: a module evaluated from several root
// modules. The text report qualifies the addresses of their findings.
func multiRootFiles(fs iter.Seq[*engine.Finding]) map[string]bool {
	roots := map[string]map[string]bool{}
	for f := range fs {
		if f.Root == "" {
			continue
		}
		if roots[f.Range.Filename] == nil {
			roots[f.Range.Filename] = map[string]bool{}
		}
		roots[f.Range.Filename][f.Root] = true
	}
	out := map[string]bool{}
	for file, rs := range roots {
		if len(rs) > 1 {
			out[file] = true
		}
	}
	return out
}

// NoteKind says what a note under a finding is.
type NoteKind string

// The kinds of notes, in the order Notes lists them.
const (
	// NoteOrigin is where the deciding value was written, when elsewhere
	// than the finding (the text report's "value from", SARIF's "value
	// set here").
	NoteOrigin NoteKind = "value from"
	// NoteVia is a place the value passed through between its origin and
	// the finding.
	NoteVia NoteKind = "via"
	// NoteRelated is a related location of the finding.
	NoteRelated NoteKind = "related"
)

// Note is a secondary location of a finding, with a short text.
type Note struct {
	Kind  NoteKind
	Range model.Range
	Text  string
}

// Notes returns a finding's secondary locations as the text report lists
// them under it: the value's origin, the hops it passed through, then the
// related locations. Other front ends (the language server's related
// information) use it to say the same.
func Notes(f *engine.Finding) []Note {
	var out []Note
	if h, ok := valueOrigin(f); ok {
		out = append(out, Note{Kind: NoteOrigin, Range: h.Range, Text: hopText(f, h)})
	}
	for _, h := range intermediateHops(f) {
		out = append(out, Note{Kind: NoteVia, Range: h.Range, Text: hopText(f, h)})
	}
	for _, rel := range f.Related {
		out = append(out, Note{Kind: NoteRelated, Range: rel.Range, Text: rel.Message})
	}
	return out
}
