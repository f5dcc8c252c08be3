package engine

import (
	"sort"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// viewTypes declares the view of a function app to CEL's type checker, so
// that an expression comparing values of different types
// (app.https_only == "false") is a load error, not a check that silently
// never fails. It is derived once from the sample app (every field present,
// every list with one element), itself derived from the model's Go types by
// reflection: bool, string (sensitive strings too) and int scalars, lists
// of their element's type, and one object type per distinct object shape
// (the settings of app_settings and connection_strings share one).
//
// Object types are CEL struct types known only to the checker. At run time
// the values are maps, read by CEL's ordinary map selection: a struct type
// here has no field getters, so the interpreter never expects an object of
// it. Struct types may be compared with null (CEL's legacy nullability),
// which an absent linked resource is (app.storage_account != null).
type viewTypes struct {
	// base answers for every name that is not a view type.
	base *types.Registry
	// structs are the object types by name.
	structs map[string]*viewStruct
	// bySig names object types by shape, so equal shapes share a type.
	bySig map[string]string
	app   *types.Type
}

type viewStruct struct {
	names  []string // field names, sorted
	fields map[string]*types.Type
}

// typePrefix starts the name of every view object type; a type name shows
// in the checker's messages (app.site_config is 'view.app.site_config').
const typePrefix = "view."

func newViewTypes(sample *model.Node) (*viewTypes, error) {
	reg, err := types.NewRegistry()
	if err != nil {
		return nil, err
	}
	vt := &viewTypes{base: reg, structs: map[string]*viewStruct{}, bySig: map[string]string{}}
	vt.app = vt.typeOf(sample, varApp)
	return vt, nil
}

// typeOf returns the CEL type of a sample node reached by path, declaring
// object types as it goes.
func (vt *viewTypes) typeOf(n *model.Node, path string) *types.Type {
	if n == nil {
		return types.DynType
	}
	switch n.Kind {
	case model.KindBool:
		return types.BoolType
	case model.KindString:
		return types.StringType
	case model.KindInt:
		return types.IntType
	case model.KindList:
		if len(n.Items) == 0 {
			return types.NewListType(types.DynType)
		}
		return types.NewListType(vt.typeOf(n.Items[0], path+"[]"))
	case model.KindObject:
		sig := signature(n)
		if name, ok := vt.bySig[sig]; ok {
			return types.NewObjectType(name)
		}
		name := typePrefix + path
		vt.bySig[sig] = name
		st := &viewStruct{fields: make(map[string]*types.Type, len(n.Fields))}
		vt.structs[name] = st
		for _, f := range n.Fields {
			st.names = append(st.names, f.Name)
			st.fields[f.Name] = vt.typeOf(f.Node, path+"."+f.Name)
		}
		sort.Strings(st.names)
		return types.NewObjectType(name)
	}
	return types.DynType
}

// signature describes the shape of a sample node: kinds and field names,
// recursively.
func signature(n *model.Node) string {
	var b strings.Builder
	var sig func(*model.Node)
	sig = func(n *model.Node) {
		switch n.Kind {
		case model.KindBool:
			b.WriteByte('b')
		case model.KindString:
			b.WriteByte('s')
		case model.KindInt:
			b.WriteByte('i')
		case model.KindList:
			b.WriteByte('[')
			if len(n.Items) > 0 {
				sig(n.Items[0])
			}
			b.WriteByte(']')
		case model.KindObject:
			b.WriteByte('{')
			for _, f := range n.Fields {
				b.WriteString(f.Name)
				b.WriteByte(':')
				sig(f.Node)
				b.WriteByte(',')
			}
			b.WriteByte('}')
		default:
			b.WriteByte('?')
		}
	}
	sig(n)
	return b.String()
}

// options are the environment options that make the checker use the view
// types.
func (vt *viewTypes) options() []cel.EnvOption {
	return []cel.EnvOption{cel.CustomTypeProvider(vt), cel.Variable(varApp, vt.app)}
}

// EnumValue implements types.Provider.
func (vt *viewTypes) EnumValue(name string) ref.Val { return vt.base.EnumValue(name) }

// FindIdent implements types.Provider.
func (vt *viewTypes) FindIdent(name string) (ref.Val, bool) { return vt.base.FindIdent(name) }

// FindStructType implements types.Provider.
func (vt *viewTypes) FindStructType(name string) (*types.Type, bool) {
	if _, ok := vt.structs[name]; ok {
		return types.NewTypeTypeWithParam(types.NewObjectType(name)), true
	}
	return vt.base.FindStructType(name)
}

// FindStructFieldNames implements types.Provider.
func (vt *viewTypes) FindStructFieldNames(name string) ([]string, bool) {
	if st, ok := vt.structs[name]; ok {
		return append([]string(nil), st.names...), true
	}
	return vt.base.FindStructFieldNames(name)
}

// FindStructFieldType implements types.Provider. The field type has no
// IsSet or GetFrom: values of view types are maps at run time.
func (vt *viewTypes) FindStructFieldType(name, field string) (*types.FieldType, bool) {
	if st, ok := vt.structs[name]; ok {
		t, ok := st.fields[field]
		if !ok {
			return nil, false
		}
		return &types.FieldType{Type: t}, true
	}
	return vt.base.FindStructFieldType(name, field)
}

// NewValue implements types.Provider. View objects cannot be constructed
// in an expression.
func (vt *viewTypes) NewValue(name string, fields map[string]ref.Val) ref.Val {
	if _, ok := vt.structs[name]; ok {
		return types.NewErr("cannot construct %s in a check", name)
	}
	return vt.base.NewValue(name, fields)
}

// itemType is the type of item in a check with each: the element type the
// listed lists share, else dyn.
func (vt *viewTypes) itemType(elements []*model.Node) *types.Type {
	var t *types.Type
	for i, el := range elements {
		et := vt.typeOf(el, varItem)
		if i > 0 && !et.IsExactType(t) {
			return types.DynType
		}
		t = et
	}
	if t == nil {
		return types.DynType
	}
	return t
}
