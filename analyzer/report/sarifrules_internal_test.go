package report

import (
	"bytes"
	"testing"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/checks"
)

// TestSpliceRulesIsTheEncoders: the head of a SARIF log with its rules
// spliced in (spliceRules) is, byte for byte, what encoding/json writes
// for the log with them: for the rules of every built-in check, for none,
// and for rules this writer knows and does not know (which go through
// encoding/json): missing and empty fields, strings to escape, property
// values of other types, fields it does not write.
func TestSpliceRulesIsTheEncoders(t *testing.T) {
	all, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	var builtin []*sarif.ReportingDescriptor
	for _, c := range all {
		builtin = append(builtin, sarifRule(c))
	}
	str := func(s string) *string { return &s }
	odd := "<a href=\"x\">&amp;</a> \\ \x01\t\n\u2028\u2029 \xff é"
	others := []*sarif.ReportingDescriptor{
		sarif.NewRule("MIN").WithShortDescription(sarif.NewMultiformatMessageString("min")),
		{ID: "NO-SHORT"},
		{ID: odd, Name: str(odd), ShortDescription: &sarif.MultiformatMessageString{Text: str(odd), Markdown: str(odd)},
			HelpURI: str(odd), DefaultConfiguration: &sarif.ReportingConfiguration{}},
		{ID: "EMPTY-TEXT", ShortDescription: &sarif.MultiformatMessageString{}, Help: &sarif.MultiformatMessageString{Text: str("")}},
		{ID: "PROPS", Properties: sarif.Properties{"tags": []string(nil), "z": "", "a": []string{}, odd: odd}},
		{ID: "INT-PROP", Properties: sarif.Properties{"rank": 3, "tags": []string{"x"}}},
		{ID: "DEPRECATED", DeprecatedIds: []string{"OLD"}, ShortDescription: sarif.NewMultiformatMessageString("d")},
		{ID: "BAG", PropertyBag: sarif.PropertyBag{Properties: sarif.Properties{"k": "v"}}},
		{ID: "RANK", DefaultConfiguration: &sarif.ReportingConfiguration{Level: "note", Rank: new(float64)}},
		{ID: "TEXT-BAG", ShortDescription: &sarif.MultiformatMessageString{Text: str("t"), PropertyBag: sarif.PropertyBag{Properties: sarif.Properties{"k": "v"}}}},
	}
	for _, tc := range []struct {
		name  string
		rules []*sarif.ReportingDescriptor
	}{
		{"built-in", builtin},
		{"none", nil},
		{"others", others},
		{"both", append(append([]*sarif.ReportingDescriptor{}, builtin[:3]...), others...)},
	} {
		doc, err := sarif.New(sarif.Version210)
		if err != nil {
			t.Fatal(err)
		}
		run := sarif.NewRunWithInformationURI("azfuncscan", "https://example.invalid/azfuncscan")
		run.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID("cat/"))
		inv := run.AddInvocation(false)
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarif.NewNotification().WithMessage(sarif.NewTextMessage("a \"rules\": [] in a message")))
		doc.AddRun(run)
		run.Tool.Driver.Rules = tc.rules
		if tc.rules == nil {
			run.Tool.Driver.Rules = []*sarif.ReportingDescriptor{}
		}
		want, err := indentedJSON(doc)
		if err != nil {
			t.Fatal(err)
		}
		run.Tool.Driver.Rules = []*sarif.ReportingDescriptor{}
		bare, err := indentedJSON(doc)
		if err != nil {
			t.Fatal(err)
		}
		// The notification's text holds the marker, escaped: it is not
		// taken for the rules.
		got, ok, err := spliceRules(bare, tc.rules)
		if err != nil || !ok {
			t.Fatalf("%s: not spliced (%v)", tc.name, err)
		}
		if !bytes.Equal(got, want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("%s: differs from encoding/json at byte %d:\n%s\nwant\n%s", tc.name, i, got[max(0, i-200):min(len(got), i+200)], want[max(0, i-200):min(len(want), i+200)])
		}
	}
}
