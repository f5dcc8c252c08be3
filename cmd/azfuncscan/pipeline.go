package main

import (
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/azfuncscan/azfuncscan/analyzer/baseline"
	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
	"github.com/azfuncscan/azfuncscan/analyzer/suppress"
	"github.com/azfuncscan/azfuncscan/parsers/ignore"
)

// spoolLimit is how many findings a scan keeps in memory, by default,
// before it writes them, sorted, to a temporary file (report.Spool):
// about 2 MB of findings. The findings waiting are live heap that every
// garbage collection marks, and a large scan collects under a soft memory
// limit (scan.go), more often the more the heap holds: with 8,192
// waiting, the 10k .tf bench corpus took about 10% more CPU than with
// 2,048, though merging four times as many runs back.
const spoolLimit = 2 << 10

// findingPipeline takes a scan's findings module by module, as they are
// checked, and does to each batch what the report needs done to all: keep
// those that concern the files named (a pre-commit hook's), mark those
// ignores cover, record them in a baseline being written and leave out
// those a baseline holds; then it spools them. Nothing is done twice to a
// finding and no stage needs the findings of other modules, so only the
// spool's in-memory part grows with the scan.
type findingPipeline struct {
	work, base string
	changed    *changedFiles
	marker     *suppress.Marker
	external   []*model.Ignore
	// In-source ignores by file (cleanKey), read once, with what reading
	// them said; names are the files as first named.
	ignores    map[string][]model.Ignore
	ignoreDiag map[string]model.Diagnostics
	names      []string
	// read are the in-source ignores read where modules were checked
	// (preread), by file (cleanKey), for ignoresOf to take.
	readMu    sync.Mutex
	read      map[string]readIgnores
	write     *baseline.File // --write-baseline
	filter    *baseline.File // --baseline, or the one being written
	baselined int
	spool     *report.Spool
}

func newFindingPipeline(f *scanFlags, eng *engine.Engine, work, base string, changed *changedFiles) (*findingPipeline, error) {
	p := &findingPipeline{
		work: work, base: base, changed: changed,
		marker: suppress.NewMarker(suppress.Options{
			Now:          time.Now(),
			Known:        func(id string) bool { return eng.Check(id) != nil },
			Active:       eng.Active,
			ReportUnused: f.reportUnusedIgnores,
			WorkDir:      work,
		}),
		ignores:    map[string][]model.Ignore{},
		ignoreDiag: map[string]model.Diagnostics{},
		read:       map[string]readIgnores{},
		spool:      report.NewSpool(f.findingsInMemory),
	}
	ext := configIgnores(f.cfg)
	for i := range ext {
		p.external = append(p.external, &ext[i])
	}
	switch {
	case f.writeBaseline != "":
		p.write = baseline.New(baseline.Tool{Name: "azfuncscan", Version: version()}, nil)
		p.filter = p.write
	case f.baselineFile != "":
		b, err := baseline.Read(f.baselineFile)
		if err != nil {
			return nil, err
		}
		p.filter = b
	}
	return p, nil
}

// add takes one module's findings.
// files are the files fs names (ignoreFiles), as preread returned them,
// or nil to work them out.
func (p *findingPipeline) add(fs []engine.Finding, files []string) error {
	if p.changed != nil {
		fs = slices.DeleteFunc(fs, func(f engine.Finding) bool { return !p.changed.concerns(&f, p.work, p.base) })
		files = nil
	}
	if files == nil {
		files = ignoreFiles(fs, nil, false)
	}
	p.marker.Mark(fs, p.ignoresOf(files))
	if p.write != nil {
		p.write.Add(fs)
	}
	if p.filter != nil {
		var n int
		fs, n = p.filter.Filter(fs)
		p.baselined += n
	}
	return p.spool.Add(fs)
}

// ignoresOf returns the in-source ignores written in files (sorted), in
// their order, reading the files not read yet, then the external ones.
func (p *findingPipeline) ignoresOf(files []string) []*model.Ignore {
	var out []*model.Ignore
	for _, name := range files {
		key := cleanKey(name)
		igs, ok := p.ignores[key]
		if !ok {
			p.readMu.Lock()
			r, ok := p.read[key]
			p.readMu.Unlock()
			if !ok {
				r.igs, r.diags = ignore.Read([]string{name})
			}
			igs = r.igs
			p.ignores[key], p.ignoreDiag[key] = r.igs, r.diags
			p.names = append(p.names, name)
		}
		for i := range igs {
			out = append(out, &igs[i])
		}
	}
	return append(out, p.external...)
}

// readIgnores are the in-source ignores of one file and what reading
// them said.
type readIgnores struct {
	igs   []model.Ignore
	diags model.Diagnostics
}

// preread reads the in-source ignores of the files fs (a module's
// findings) name, from m's files as its parser read them (disk for the
// files it does not hold), for add to take: it runs where the module was
// checked, in parallel with the other modules, while add runs on one
// goroutine for all of them, and the file is not read again. A file two
// modules name at once may be read by both; they read the same.
// It returns the files fs names (ignoreFiles), for add.
func (p *findingPipeline) preread(m *model.Module, fs []engine.Finding) (files []string) {
	if p.changed != nil {
		return nil // add keeps only some findings: their files are read there
	}
	held := func(name string) ([]byte, bool) {
		if m.Splicer == nil {
			return nil, false
		}
		src, _, ok := m.Splicer(name)
		return src, ok
	}
	files = ignoreFiles(fs, nil, false)
	for _, name := range files {
		key := cleanKey(name)
		p.readMu.Lock()
		_, done := p.read[key]
		p.readMu.Unlock()
		if done {
			continue
		}
		var r readIgnores
		r.igs, r.diags = ignore.ReadHeld(held, []string{name})
		p.readMu.Lock()
		p.read[key] = r
		p.readMu.Unlock()
	}
	return files
}

// finish fills r with the findings and the diagnostics about ignores
// (declaring: the files that declare resources, where with
// --report-unused-ignores unused ignores are looked for too) and writes
// the baseline being written.
func (p *findingPipeline) finish(r *report.Report, declaring []string, baselinePath string) (err error) {
	if err := p.spool.Err(); err != nil {
		return err
	}
	r.Spool = p.spool
	r.Baselined = p.baselined
	if err := p.spool.Warning(); err != nil {
		r.Diagnostics = append(r.Diagnostics, model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Findings kept in memory",
			Detail:   fmt.Sprintf("more than %d findings (--findings-in-memory) and no temporary file for the rest: %v; the scan holds them all in memory", p.spool.Limit(), err),
		})
	}
	// Every file read, and those declaring resources, as ignoreFiles
	// lists them for a whole scan: sorted, once each.
	all := slices.Clone(p.names)
	seen := map[string]bool{}
	for _, name := range all {
		seen[cleanKey(name)] = true
	}
	for _, name := range ignoreFiles(nil, declaring, true) {
		if !seen[cleanKey(name)] {
			seen[cleanKey(name)] = true
			all = append(all, name)
		}
	}
	slices.Sort(all)
	igs := p.ignoresOf(all)
	for _, name := range all {
		r.Diagnostics = append(r.Diagnostics, p.ignoreDiag[cleanKey(name)]...)
	}
	r.Diagnostics = append(r.Diagnostics, p.marker.Diagnostics(igs)...)
	if p.write == nil {
		return nil
	}
	file, err := os.Create(baselinePath)
	if err != nil {
		return fmt.Errorf("--write-baseline: %w", err)
	}
	defer func() {
		if cerr := file.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("--write-baseline: %w", cerr)
		}
	}()
	return p.write.Write(file)
}
