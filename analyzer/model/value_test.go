package model

import (
	"fmt"
	"testing"
)

func TestRangeString(t *testing.T) {
	for _, r := range []Range{
		{},
		{Filename: "main.tf"},
		{Filename: "main.tf", Start: Pos{Line: 1, Column: 1}},
		{Filename: "dir/azuredeploy.json", Start: Pos{Line: 154, Column: 7}, End: Pos{Line: 160, Column: 2}},
		{Filename: "x", Start: Pos{Line: 1 << 40, Column: -3}},
	} {
		want := r.Filename
		if r.Start.Line != 0 {
			want = fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
		}
		if got := r.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", r, got, want)
		}
	}
}
