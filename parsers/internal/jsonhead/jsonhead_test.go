package jsonhead

import (
	"strings"
	"testing"
)

type member struct{ key, value string }

func members(head string) ([]member, bool) {
	var ms []member
	complete := Members([]byte(head), func(k string, v []byte) bool {
		ms = append(ms, member{k, string(v)})
		return true
	})
	return ms, complete
}

func TestMembers(t *testing.T) {
	cases := []struct {
		head     string
		want     []member
		complete bool
	}{
		{`{}`, nil, true},
		{"\xef\xbb\xbf \n{ \"a\" : 1 , \"b\":\"x\\\"}\" }", []member{{"a", "1"}, {"b", `"x\"}"`}}, true},
		{`{"a":{"b":[1,{"c":"]"}]},"d":null,"e":-1.5e3}`, []member{{"a", `{"b":[1,{"c":"]"}]}`}, {"d", "null"}, {"e", "-1.5e3"}}, true},
		{`{"a":1}trailing`, []member{{"a", "1"}}, true}, // only the object is read
		// Cut off by the end of head: what it holds of the last value.
		{`{"version":3,"deployment":{"manifest":{},"resou`, []member{{"version", "3"}, {"deployment", `{"manifest":{},"resou`}}, false},
		{`{"a":"unterminated`, []member{{"a", `"unterminated`}}, false},
		{`{"a":1,`, []member{{"a", "1"}}, false},
		{`{"a"`, nil, false},
		// Not an object, or stops being JSON.
		{`[{"a":1}]`, nil, false},
		{`{"a":1 "b":2}`, []member{{"a", "1"}}, false},
		{`{a:1}`, nil, false},
		{`{"a":}`, nil, false},
		{``, nil, false},
	}
	for _, c := range cases {
		got, complete := members(c.head)
		if complete != c.complete || len(got) != len(c.want) {
			t.Errorf("%q: %v complete=%v, want %v complete=%v", c.head, got, complete, c.want, c.complete)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%q: member %d = %v, want %v", c.head, i, got[i], c.want[i])
			}
		}
	}
}

// fn returning false stops the scan; deep nesting is counted, not
// recursed.
func TestMembersStopAndDepth(t *testing.T) {
	n := 0
	Members([]byte(`{"a":1,"b":2,"c":3}`), func(string, []byte) bool { n++; return n < 2 })
	if n != 2 {
		t.Errorf("fn called %d times after returning false, want 2", n)
	}
	deep := `{"a":` + strings.Repeat("[", 1<<20) + strings.Repeat("]", 1<<20) + `,"b":true}`
	got, complete := members(deep)
	if !complete || len(got) != 2 || got[1] != (member{"b", "true"}) {
		t.Errorf("deep nesting: %d members, complete=%v", len(got), complete)
	}
}
