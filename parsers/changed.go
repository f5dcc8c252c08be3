package parsers

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/azfuncscan/azfuncscan/parsers/arm"
)

// changes is the set of changed files of a scan (Options.Changed).
type changes struct {
	files map[string]bool // absolute, clean
	dirs  map[string]bool // the directories holding them
	// bicep is set when a .bicep file changed: Bicep source locates the
	// findings of the templates compiled from it and from the modules it
	// uses, which the templates do not name, so every template is
	// affected.
	bicep bool
}

func newChanges(files []string) *changes {
	c := &changes{files: map[string]bool{}, dirs: map[string]bool{}}
	for _, f := range files {
		f = absPath(f)
		c.files[f] = true
		c.dirs[filepath.Dir(f)] = true
		if strings.EqualFold(filepath.Ext(f), ".bicep") {
			c.bicep = true
		}
	}
	return c
}

// affectedUnits keeps the units whose analysis a change of opts.Changed
// may change; each is still loaded whole, so that a changed module is
// evaluated with what its callers pass.
func affectedUnits(units []*unit, opts Options) []*unit {
	c := newChanges(opts.Changed)
	out := make([]*unit, 0, len(units))
	for _, u := range units {
		affected := c.files[u.key]
		if !affected && u.h.affects != nil {
			affected = u.h.affects(u, c, opts)
		}
		if affected {
			out = append(out, u)
		}
	}
	return out
}

// terraformAffected: a root module is affected by a change in any
// directory of its module tree (its own .tf and .tfvars files, the local
// modules it calls, directly or not) and by a change of a -var-file it
// is given.
func terraformAffected(u *unit, c *changes, opts Options) bool {
	reads := u.reads
	if reads == nil {
		reads = []string{u.key}
	}
	if slices.ContainsFunc(reads, func(d string) bool { return c.dirs[d] }) {
		return true
	}
	return slices.ContainsFunc(opts.Terraform.VarFiles, func(f string) bool { return c.files[absPath(f)] })
}

// planAffected: a plan is affected by a change of the configuration
// beside it, whose files locate its findings.
func planAffected(u *unit, c *changes, _ Options) bool {
	return c.dirs[filepath.Dir(u.key)]
}

// armAffected: a template is affected by a change of a parameter file
// that applies to it and of any Bicep source.
func armAffected(u *unit, c *changes, opts Options) bool {
	if c.bicep {
		return true
	}
	return slices.ContainsFunc(arm.ParameterFiles(u.path, opts.ARM), func(f string) bool { return c.files[absPath(f)] })
}

// absPath is a path's absolute, clean form, for comparing paths spelled
// differently.
func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}
