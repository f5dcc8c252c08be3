package armsite

import (
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// TestFieldFolds: field finds a member exactly, else the first that
// folds to the key (wide characters included), else nothing.
func TestFieldFolds(t *testing.T) {
	obj := &model.Node{Kind: model.KindObject, Meta: model.Meta{Origin: model.Explicit}}
	add := func(name string) *model.Node {
		n := &model.Node{Kind: model.KindString, Str: name}
		obj.Fields = append(obj.Fields, model.Field{Name: name, Node: n})
		return n
	}
	kelvin := add("\u212aind")
	add("Kind")
	sku := add("SKU")
	exact := add("sku")
	props := add("Properties")
	for key, want := range map[string]*model.Node{"kind": kelvin, "KIND": kelvin, "sku": exact, "Sku": sku, "properties": props, "propertie": nil, "identity": nil, "": nil} {
		if got := field(obj, key); got != want {
			t.Errorf("field(%q) = %v, want %v", key, got, want)
		}
	}
}
