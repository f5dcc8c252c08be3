package engine

import (
	"strings"
	"sync"
)

// Strings is a table of the strings that the findings of several Runs
// share (RunShared): a scan of many modules gives findings whose check
// ids, resource types, attribute paths, fix messages and hints are the
// same from one module to the next, so each is held once for the whole
// scan instead of once per finding. It holds only that vocabulary: the
// text of one module's findings (messages naming its apps, file names,
// addresses) is shared within the Run only, so that the table stays
// small however many findings a scan writes to its spool. The zero value
// is ready to use; it is safe for concurrent use.
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
// messages and fingerprints, made for each finding at their length, hold
// no parser's memory and are not copied;
// the vocabulary of findings (see Strings) is copied once per table when
// st is not nil.
func detach(findings []Finding, st *Strings) {
	local := map[string]string{}
	own := func(s *string) {
		if *s == "" {
			return
		}
		if c, ok := local[*s]; ok {
			*s = c
			return
		}
		c := strings.Clone(*s)
		local[c] = c
		*s = c
	}
	word := own
	if st != nil {
		st.mu.Lock()
		defer st.mu.Unlock()
		if st.m == nil {
			st.m = map[string]string{}
		}
		word = func(s *string) {
			if *s == "" {
				return
			}
			if c, ok := st.m[*s]; ok {
				*s = c
				return
			}
			c := strings.Clone(*s)
			st.m[c] = c
			*s = c
		}
	}
	// Consecutive findings of a Run mostly have the same root, file,
	// resource, apps and check: each place of a finding remembers the
	// string it had in the finding before and its copy, and gives that
	// copy again without looking the string up (hashing it, then
	// comparing it with the table's) when the string is the same, as
	// own and word would.
	type copied struct{ in, out string }
	again := func(copy func(*string)) func(*string, *copied) {
		return func(s *string, m *copied) {
			if *s == m.in {
				*s = m.out
				return
			}
			in := *s
			copy(s)
			m.in, m.out = in, *s
		}
	}
	ownAgain, wordAgain := again(own), again(word)
	var checkID, file, resource, resourceType, root, relMessage, relFile, app, hopName, hopFile copied
	for i := range findings {
		f := &findings[i]
		wordAgain(&f.CheckID, &checkID)
		// A message and a fingerprint are made for their finding, at
		// their length (msgTemplate.render, fmt.Sprintf or a
		// concatenation; Fingerprint): they hold no parser's memory
		// and are kept as they are.
		ownAgain(&f.Range.Filename, &file)
		ownAgain(&f.Resource, &resource)
		wordAgain(&f.ResourceType, &resourceType)
		word(&f.Path)
		ownAgain(&f.Root, &root)
		word(&f.NoFix)
		for j := range f.Related {
			ownAgain(&f.Related[j].Message, &relMessage)
			ownAgain(&f.Related[j].Range.Filename, &relFile)
		}
		for j := range f.Apps {
			ownAgain(&f.Apps[j], &app)
		}
		for j := range f.Trail {
			wordAgain(&f.Trail[j].Name, &hopName)
			ownAgain(&f.Trail[j].Range.Filename, &hopFile)
		}
		if f.Fix != nil {
			word(&f.Fix.Message)
			for k := range f.Fix.Edits {
				e := &f.Fix.Edits[k]
				own(&e.Range.Filename)
				for j := range e.Path {
					word(&e.Path[j])
				}
			}
		}
	}
}
