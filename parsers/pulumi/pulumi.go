// Package pulumi reads `pulumi stack export` files (deployment version 3)
// into the format-neutral model: azure-native sites, storage accounts and
// plans through the shared ARM mapping (armsite), private endpoints and
// diagnostic settings by exact resource id, and the classic azure
// provider's function apps and storage accounts with azurerm defaults.
//
// Every resource's outputs are the deployed truth; its inputs fill what
// the outputs omit (azure-native outputs leave out app settings). Values
// say which in Meta.Note. Pulumi secrets ({"4dabf…": "1b47…",
// "ciphertext": …}) are values of source secret_envelope; decrypted ones
// ("plaintext", from --show-secrets) are judged as literals, and like
// every setting value are never printed.
//
// Value trails. A value read from outputs that the inputs also hold (the
// same value) has the trail input → output: hop "input inputs.httpsOnly"
// at the input, then "output outputs.httpsOnly" at the output. The
// output is the value's range, where a finding points: it is what was
// deployed, and it decides. The input is the trail's origin, the "value
// set here" of a finding, because the program that set it is what the
// user edits. An output that differs from its input has no input hop (its
// Note says so); a value only the inputs hold has no extra hop. Trail
// names are property paths, never values, and stop at a secret envelope.
//
// Existence. The old copy of a replaced resource (delete: true beside a
// live entry with the same URN) is dropped: its replacement stands for
// it. A resource marked delete: true alone, one with pendingReplacement:
// true (deleted for a delete-before-replace, not recreated yet), and one
// a pending "deleting" operation names may or may not exist: it gets
// model.Resource.UnknownExistence with the reason, which slots inherit
// from their app; what such a child (config, FTP policy) sets is
// unknown; a private endpoint or diagnostic setting in that state makes
// its target's list unknown-many, a plan or storage account its link
// unknown (and what would fail about it undetermined). Other pending
// operations (creating, updating) are noted in an info diagnostic and not
// analysed.
//
// Links (FunctionApp.PlanLink, StorageLink, EndpointLink.Link,
// DiagnosticSetting.Link) are located at the value that made them, with
// its trail, and say why: "serverFarmId is the id of <urn>", "app
// setting AzureWebJobsStorage AccountName= names <urn>" (never quoting
// the name, which may come from a secret), "the only storage account
// <urn> depends on", "resourceUri is the id of <urn>".
package pulumi

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/jsonhead"
	"github.com/azfuncscan/azfuncscan/parsers/internal/source"
	"github.com/azfuncscan/azfuncscan/parsers/internal/srcpos"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// Options tune how a stack export is read.
type Options struct {
	// ReadFile, when set, reads the file in place of the disk (an
	// editor's unsaved buffer; see package parsers/internal/source).
	ReadFile func(path string) ([]byte, error)
	// Source, when set, is the export's contents, already read from disk
	// (by the walk that found it, see package parsers): LoadFileWith does
	// not read it again. Its size is still checked against Limits.
	Source []byte
	// Limits bound the file size (zero: limits.PulumiFileSize).
	Limits limits.Limits
}

// LoadFile reads one stack export file. Problems in the file are
// diagnostics; what can be read is still returned.
func LoadFile(ctx context.Context, path string) (mod *model.Module, diags model.Diagnostics) {
	return LoadFileWith(ctx, path, Options{})
}

// LoadFileWith is LoadFile with options.
func LoadFileWith(ctx context.Context, path string, opts Options) (mod *model.Module, diags model.Diagnostics) {
	name := filepath.ToSlash(path)
	mod = &model.Module{Format: model.Pulumi, Path: name}
	defer func() {
		if p := recover(); p != nil {
			diags = append(diags, model.Diagnostic{
				Severity: model.SevError,
				Summary:  "internal error",
				Detail:   fmt.Sprintf("reading %s failed: %v; the stack was not analysed completely.", name, p),
				Range:    model.Range{Filename: name},
			})
		}
	}()
	maxFileSize := opts.Limits.MaxFileSize(limits.Pulumi)
	text, err := opts.Source, error(nil)
	if text == nil {
		text, err = source.Read(opts.ReadFile, path, maxFileSize)
	}
	if err == nil && int64(len(text)) > maxFileSize {
		err = fmt.Errorf("the file is larger than %s (--max-file-size)", limits.Bytes(maxFileSize))
	}
	if err != nil {
		return mod, model.Diagnostics{{Severity: model.SevError, Summary: "cannot read file", Detail: err.Error(), Range: model.Range{Filename: name}}}
	}
	if ctx.Err() != nil {
		return mod, nil
	}
	mod, diags = load(ctx, name, text)
	if d := srcpos.InvalidUTF8(name, text); d != nil {
		diags = append(model.Diagnostics{*d}, diags...)
	}
	return mod, diags
}

// IsStackExport reports whether head, the first bytes of a file, looks like
// a Pulumi stack export: a top-level "version": 3 and a "deployment"
// object. Only the top level of what head holds is read; a deployment cut
// off by the end of head still counts.
func IsStackExport(head []byte) bool {
	version, deployment := false, false
	complete := jsonhead.Members(head, func(key string, value []byte) bool {
		switch key {
		case "version":
			version = string(value) == "3"
		case "deployment":
			deployment = len(value) > 0 && value[0] == '{'
		}
		return true
	})
	if deployment && !complete && !bytes.Contains(head, []byte(`"resources"`)) {
		// A deployment cut off by head before its resources: the key
		// alone says little; ask for the list too.
		deployment = false
	}
	return version && deployment
}
