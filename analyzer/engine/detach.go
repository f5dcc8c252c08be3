package engine

import (
	"strings"
	"sync"
)

// Strings is a table of the strings that the findings of several Runs
// share (RunShared): a scan of many modules keeps every finding to the
// end, and most of their text (messages, fix hints, check ids, resource
// types, addresses named by template expressions) is the same from one
// module to the next, so it is held once for the whole scan instead of
// once per module. The table only holds strings that findings hold, and
// not the fingerprints, which are distinct per finding. The zero value is
// ready to use; it is safe for concurrent use.
type Strings struct {
	mu sync.Mutex
	m  map[string]string
}

// detach gives the findings of one Run their own copies of the strings
// they share with the module. A parser's strings are often slices of the
// file it read (the ARM reader's share the template's text), so a finding
// that kept one would keep the whole file alive after the module is
// dropped, and a streamed scan, which keeps only findings, would hold every
// file of the corpus. Equal strings are copied once per Run, so the
// findings of a module also share their file names, addresses and roots;
// with a table (st not nil), once per table.
func detach(findings []Finding, st *Strings) {
	table := map[string]string{}
	if st != nil {
		st.mu.Lock()
		defer st.mu.Unlock()
		if st.m == nil {
			st.m = table
		}
		table = st.m
	}
	own := func(s *string) {
		if *s == "" {
			return
		}
		if c, ok := table[*s]; ok {
			*s = c
			return
		}
		c := strings.Clone(*s)
		table[c] = c
		*s = c
	}
	for i := range findings {
		f := &findings[i]
		own(&f.CheckID)
		own(&f.Message)
		own(&f.Range.Filename)
		own(&f.Resource)
		own(&f.ResourceType)
		own(&f.Path)
		own(&f.Root)
		f.Fingerprint = strings.Clone(f.Fingerprint)
		own(&f.NoFix)
		for j := range f.Related {
			own(&f.Related[j].Message)
			own(&f.Related[j].Range.Filename)
		}
		for j := range f.Apps {
			own(&f.Apps[j])
		}
		for j := range f.Trail {
			own(&f.Trail[j].Name)
			own(&f.Trail[j].Range.Filename)
		}
		if f.Fix != nil {
			own(&f.Fix.Message)
			for k := range f.Fix.Edits {
				e := &f.Fix.Edits[k]
				own(&e.Range.Filename)
				for j := range e.Path {
					own(&e.Path[j])
				}
			}
		}
	}
}
