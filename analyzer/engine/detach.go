package engine

import "strings"

// detach gives the findings of one Run their own copies of the strings
// they share with the module. A parser's strings are often slices of the
// file it read (the ARM reader's share the template's text), so a finding
// that kept one would keep the whole file alive after the module is
// dropped, and a streamed scan, which keeps only findings, would hold every
// file of the corpus. Equal strings are copied once per Run, so the
// findings of a module also share their file names, addresses and roots.
func detach(findings []Finding) {
	seen := map[string]string{}
	own := func(s *string) {
		if *s == "" {
			return
		}
		if c, ok := seen[*s]; ok {
			*s = c
			return
		}
		c := strings.Clone(*s)
		seen[c] = c
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
		own(&f.Fingerprint)
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
			own(&f.Fix.Edit.Range.Filename)
			for j := range f.Fix.Edit.Path {
				own(&f.Fix.Edit.Path[j])
			}
		}
	}
}
