package engine

import (
	"reflect"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// sampleApp returns a function app with every field present: each pointer
// allocated, each list holding one element, each scalar explicit. Load
// validates checks against its view, so that a path naming a field the
// model does not have is an error when the check is loaded, not a silent
// "no such key" at scan time.
func sampleApp() *model.FunctionApp {
	app := &model.FunctionApp{}
	fillSample(reflect.ValueOf(app).Elem(), 0)
	return app
}

func fillSample(v reflect.Value, depth int) {
	if depth > 16 {
		return
	}
	sampleRange := model.Range{Filename: "sample.tf", Start: model.Pos{Line: 1, Column: 1}, End: model.Pos{Line: 1, Column: 2}}
	switch v.Type() {
	case reflect.TypeFor[model.Meta]():
		v.Set(reflect.ValueOf(model.Meta{Range: sampleRange, Origin: model.Explicit, Resource: "sample"}))
		return
	case reflect.TypeFor[model.Resource]():
		v.Set(reflect.ValueOf(model.Resource{Address: "sample.address", Type: "sample_type", Range: sampleRange}))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fillSample(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillSample(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fillSample(s.Index(0), depth+1)
		v.Set(s)
	case reflect.String:
		v.SetString("sample")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	}
}
