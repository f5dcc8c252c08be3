package compliance

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
)

// State is the standing of one app against one control.
type State uint8

// States, from the best to the worst standing.
const (
	NotApplicable State = iota
	Pass
	Suppressed
	Undetermined
	Fail
)

// String names the state as the reports do.
func (s State) String() string {
	switch s {
	case Pass:
		return "pass"
	case Suppressed:
		return "suppressed"
	case Undetermined:
		return "undetermined"
	case Fail:
		return "fail"
	}
	return "n/a"
}

// Cell is one app's standing against one control, with the checks that
// decided it.
type Cell struct {
	State State
	// Failed are the checks that failed, unsuppressed, sorted.
	Failed []string
	// Undetermined are the checks whose outcome is undetermined, and
	// Errors those whose evaluation raised an error, sorted.
	Undetermined []string
	Errors       []string
	// Suppressed are the checks that failed with every failing finding
	// suppressed, sorted.
	Suppressed []string
	// Passed counts the checks that applied and passed.
	Passed int
}

// Row is one function app or deployment slot.
type Row struct {
	// Root is the root the app was evaluated from, Address its resource
	// address there (engine.AppOutcome).
	Root, Address string
	// Name is the app's name when known; Type its resource type.
	Name, Type string
	// Slot is set for deployment slots; Parent is then the production
	// app's address, when known.
	Slot   bool
	Parent string
	// Cells has one cell per Matrix.Controls, in that order.
	Cells []Cell
}

// Control is one column: an MCSB control and the checks that ran mapped to
// it, with how many apps stand in each state.
type Control struct {
	ID     string
	Checks []string
	// Count is the number of rows in each state, indexed by State.
	Count [Fail + 1]int
}

// Matrix is the compliance matrix of a scan.
type Matrix struct {
	Controls []Control
	Rows     []Row
	// Unmapped are the checks that ran but map to no MCSB control; their
	// outcomes are in no cell.
	Unmapped []string
}

// Build computes the matrix from the checks that ran, the per-app outcomes
// of the engine and the findings (after suppression). Rows are sorted by
// root and address, controls in the benchmark's order (engine.MCSBDomains)
// and by number.
func Build(checks []*engine.Check, apps []engine.AppOutcome, findings []engine.Finding) *Matrix {
	m := &Matrix{}
	byControl := map[string][]string{}
	for _, c := range checks {
		if len(c.MCSB) == 0 {
			m.Unmapped = append(m.Unmapped, c.ID)
			continue
		}
		for _, ctl := range c.MCSB {
			byControl[ctl] = append(byControl[ctl], c.ID)
		}
	}
	slices.Sort(m.Unmapped)
	for id, ids := range byControl {
		slices.Sort(ids)
		m.Controls = append(m.Controls, Control{ID: id, Checks: ids})
	}
	slices.SortFunc(m.Controls, func(a, b Control) int { return compareControls(a.ID, b.ID) })

	suppressed := suppressedFailures(findings)
	for _, ao := range apps {
		row := Row{Root: ao.Root, Address: ao.Address, Name: ao.Name, Type: ao.Type, Slot: ao.Slot, Parent: ao.Parent}
		status := make(map[string]engine.Status, len(ao.Checks))
		for _, co := range ao.Checks {
			status[co.CheckID] = co.Status
		}
		for i := range m.Controls {
			cell := decide(m.Controls[i].Checks, status, func(id string) bool {
				return suppressed[appCheck{ao.Root, ao.Address, id}]
			})
			m.Controls[i].Count[cell.State]++
			row.Cells = append(row.Cells, cell)
		}
		m.Rows = append(m.Rows, row)
	}
	slices.SortStableFunc(m.Rows, func(a, b Row) int {
		return cmp.Or(strings.Compare(a.Root, b.Root), strings.Compare(a.group(), b.group()),
			compareBool(a.Slot, b.Slot), strings.Compare(a.Address, b.Address))
	})
	return m
}

// group is the address rows are sorted by: a slot's production app's, so
// that slots follow their app.
func (r *Row) group() string {
	if r.Slot && r.Parent != "" {
		return r.Parent
	}
	return r.Address
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// ParentName is how a slot's production app is named: the name of its
// row in the same root when there is one, else its address; "" when the
// row is not a slot or its app is not known.
func (m *Matrix) ParentName(r *Row) string {
	if !r.Slot || r.Parent == "" {
		return ""
	}
	for i := range m.Rows {
		p := &m.Rows[i]
		if p.Root == r.Root && p.Address == r.Parent && p.Name != "" {
			return p.Name
		}
	}
	return r.Parent
}

// decide is the cell of one control for one app; see the package
// documentation.
func decide(ids []string, status map[string]engine.Status, allSuppressed func(string) bool) Cell {
	var c Cell
	for _, id := range ids {
		st, ran := status[id]
		if !ran {
			continue
		}
		switch st {
		case engine.Fail:
			if allSuppressed(id) {
				c.Suppressed = append(c.Suppressed, id)
			} else {
				c.Failed = append(c.Failed, id)
			}
		case engine.Undetermined:
			c.Undetermined = append(c.Undetermined, id)
		case engine.Error:
			c.Errors = append(c.Errors, id)
		case engine.Pass:
			c.Passed++
		}
	}
	switch {
	case len(c.Failed) > 0:
		c.State = Fail
	case len(c.Undetermined) > 0 || len(c.Errors) > 0:
		c.State = Undetermined
	case len(c.Suppressed) > 0:
		c.State = Suppressed
	case c.Passed > 0:
		c.State = Pass
	}
	return c
}

type appCheck struct{ root, app, check string }

// suppressedFailures returns the (root, app, check) whose failing findings
// are all suppressed (and there is at least one).
func suppressedFailures(findings []engine.Finding) map[appCheck]bool {
	out := map[appCheck]bool{}
	for i := range findings {
		f := &findings[i]
		if f.Status != engine.Fail {
			continue
		}
		for _, app := range f.Apps {
			k := appCheck{f.Root, app, f.CheckID}
			prev, seen := out[k]
			out[k] = (prev || !seen) && f.Suppressed != nil
		}
	}
	return out
}

// compareControls orders control ids by the benchmark's domain order, then
// by number (NS-2 before NS-10).
func compareControls(a, b string) int {
	da, na := splitControl(a)
	db, nb := splitControl(b)
	return cmp.Or(cmp.Compare(domainRank(da), domainRank(db)), strings.Compare(da, db), cmp.Compare(na, nb), strings.Compare(a, b))
}

func splitControl(id string) (string, int) {
	d, n, _ := strings.Cut(id, "-")
	num, err := strconv.Atoi(n)
	if err != nil {
		num = 0
	}
	return d, num
}

func domainRank(d string) int {
	if i := slices.Index(engine.MCSBDomains(), d); i >= 0 {
		return i
	}
	return len(engine.MCSBDomains())
}
