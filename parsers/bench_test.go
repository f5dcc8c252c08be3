package parsers_test

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/checks"
	"github.com/azfuncscan/azfuncscan/parsers"
)

// The per-format cost of loading and of checking (issue 14). Each
// benchmark reads the repository's fixtures of its format; with
// AZFUNCBENCH_CORPUS set to a directory (a corpus of the shared gencorpus
// tool, e.g. azfuncbench's work directory) it reads that instead, as the
// performance table does:
//
//	AZFUNCBENCH_CORPUS=/tmp/azfuncbench/seed1/-arm1000 go test ./parsers -run - -bench LoadARM -cpuprofile cpu.out

func benchDir(b *testing.B, fixtures string) string {
	b.Helper()
	if dir := os.Getenv("AZFUNCBENCH_CORPUS"); dir != "" {
		return dir
	}
	return filepath.Join("..", "testdata", fixtures)
}

func benchLoad(b *testing.B, dir string) *parsers.Result {
	b.Helper()
	res, err := parsers.Load(context.Background(), []string{dir}, parsers.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if res.Units == 0 {
		b.Fatalf("nothing loaded from %s", dir)
	}
	return res
}

func BenchmarkLoadARM(b *testing.B)       { benchLoadFormat(b, "arm") }
func BenchmarkLoadTerraform(b *testing.B) { benchLoadFormat(b, "terraform") }
func BenchmarkLoadPulumi(b *testing.B)    { benchLoadFormat(b, "pulumi") }

func benchLoadFormat(b *testing.B, fixtures string) {
	dir := benchDir(b, fixtures)
	b.ReportAllocs()
	for b.Loop() {
		benchLoad(b, dir)
	}
}

// BenchmarkRun is the engine alone: every built-in check on the models
// of every fixture (all formats), loaded once.
func BenchmarkRun(b *testing.B) {
	var mods []*model.Module
	for _, f := range []string{"terraform", "arm", "pulumi"} {
		mods = append(mods, benchLoad(b, benchDir(b, f)).Modules...)
		if os.Getenv("AZFUNCBENCH_CORPUS") != "" {
			break
		}
	}
	eng := builtinEngine(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range mods {
			eng.Run(ctx, m)
		}
	}
}

// builtinEngine is an engine of every built-in check.
func builtinEngine(tb testing.TB) *engine.Engine {
	tb.Helper()
	all, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		tb.Fatal(err)
	}
	eng, err := engine.New(all, engine.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return eng
}

// BenchmarkLoadChecks is the start-up of every scan: reading and compiling
// the built-in checks and making an engine of them.
func BenchmarkLoadChecks(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		all, err := engine.Load(checks.FS(), "checks")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := engine.New(all, engine.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFixes is what the SARIF report adds for fixes: for every
// failing finding with a fix, the replacements of its edits, file after
// file, each file read once and prepared once (parsers.FileReplacements),
// as the report asks them. The modules are loaded and checked once.
//
//	AZFUNCBENCH_CORPUS=/tmp/azfuncbench/seed1/-arm1000 go test ./parsers -run - -bench Fixes/arm
func BenchmarkFixes(b *testing.B) {
	for _, format := range []string{"terraform", "arm"} {
		b.Run(format, func(b *testing.B) {
			dir := benchDir(b, format)
			eng := builtinEngine(b)
			// The edits of each file, in the order of the findings.
			type file struct {
				name  string
				src   []byte
				edits [][]model.Edit
			}
			var files []*file
			byName := map[string]*file{}
			for _, m := range benchLoad(b, dir).Modules {
				for _, fe := range fixEdits(eng.Run(context.Background(), m).Findings) {
					fl := byName[fe.name]
					if fl == nil {
						src, err := os.ReadFile(fe.name)
						if err != nil {
							b.Fatal(err)
						}
						fl = &file{name: fe.name, src: src}
						byName[fe.name] = fl
						files = append(files, fl)
					}
					fl.edits = append(fl.edits, fe.edits)
				}
			}
			if len(files) == 0 {
				b.Fatalf("no fixes in %s", dir)
			}
			b.ReportAllocs()
			for b.Loop() {
				n := 0
				for _, fl := range files {
					replace := parsers.FileReplacements(fl.name, fl.src)
					for _, edits := range fl.edits {
						reps, _ := replace(edits)
						n += len(reps)
					}
				}
				if n == 0 {
					b.Fatal("no replacements")
				}
			}
		})
	}
}

// fileEdits are the edits of one file that one finding's fix makes.
type fileEdits struct {
	f     *engine.Finding
	name  string
	edits []model.Edit
}

// fixEdits returns the edits of the fixes of the failing findings of
// fs, file by file (files sorted within a fix), as a report asks for
// their replacements.
func fixEdits(fs []engine.Finding) []fileEdits {
	var out []fileEdits
	for i := range fs {
		f := &fs[i]
		if f.Fix == nil || f.Status != engine.Fail {
			continue
		}
		byFile := map[string][]model.Edit{}
		for _, e := range f.Fix.Edits {
			byFile[e.Range.Filename] = append(byFile[e.Range.Filename], e)
		}
		for _, name := range slices.Sorted(maps.Keys(byFile)) {
			out = append(out, fileEdits{f, name, byFile[name]})
		}
	}
	return out
}
