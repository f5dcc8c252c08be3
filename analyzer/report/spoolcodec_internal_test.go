package report

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"io"
	"math/rand/v2"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// fillRandom sets every exported field reachable from v (a settable value)
// to a random value, zero values included: strings with odd bytes,
// negative numbers, nil and empty lists, nil pointers, fix values of each
// kind, times in several zones.
func fillRandom(rnd *rand.Rand, v reflect.Value) {
	if v.Type() == reflect.TypeFor[time.Time]() {
		if rnd.IntN(3) > 0 {
			t := time.Unix(rnd.Int64N(4e9), rnd.Int64N(1e9)).In(time.FixedZone("z", (rnd.IntN(25)-12)*3600))
			if rnd.IntN(2) == 0 {
				t = t.UTC()
			}
			v.Set(reflect.ValueOf(t))
		}
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString([]string{"", "a", "AZFUNC-040", "main.tf", "é\u2028", "\x00\xff", "a longer message with words"}[rnd.IntN(7)])
	case reflect.Bool:
		v.SetBool(rnd.IntN(2) == 0)
	case reflect.Int, reflect.Int64:
		v.SetInt(rnd.Int64N(1<<40) - 1<<39)
	case reflect.Uint8:
		v.SetUint(uint64(rnd.IntN(3))) // a valid Status and Origin
	case reflect.Slice:
		switch k := rnd.IntN(4); k {
		case 0:
			v.SetZero()
		default:
			s := reflect.MakeSlice(v.Type(), k-1, k-1)
			for i := range s.Len() {
				fillRandom(rnd, s.Index(i))
			}
			v.Set(s)
		}
	case reflect.Pointer:
		if rnd.IntN(3) == 0 {
			v.SetZero()
			return
		}
		p := reflect.New(v.Type().Elem())
		fillRandom(rnd, p.Elem())
		v.Set(p)
	case reflect.Interface:
		vals := []any{nil, true, false, "", "TLS1_2", 3, int64(-7), 1.5}
		if x := vals[rnd.IntN(len(vals))]; x != nil {
			v.Set(reflect.ValueOf(x))
		} else {
			v.SetZero()
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillRandom(rnd, v.Field(i))
			}
		}
	default:
		panic("fillRandom: no rule for " + v.Type().String())
	}
}

// TestSpoolCodecMatchesGob: a run written and read back by the spool's
// codec gives the findings encoding/gob gave back, for random findings with
// every exported field set or not: a field the codec forgets (one added to
// Finding, Ignore, Fix or Edit later) fails this test.
func TestSpoolCodecMatchesGob(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	var in []engine.Finding
	for range 500 {
		var f engine.Finding
		fillRandom(rnd, reflect.ValueOf(&f).Elem())
		// gob gives nil for a pointer to a zero struct; the writers never
		// make one.
		if f.Suppressed != nil {
			f.Suppressed.Reason += "r"
		}
		if f.Fix != nil {
			f.Fix.Message += "m"
		}
		in = append(in, f)
	}

	var g bytes.Buffer
	enc := gob.NewEncoder(&g)
	var c bytes.Buffer
	rw := newRecordWriter(&c)
	for i := range in {
		if err := enc.Encode(&in[i]); err != nil {
			t.Fatal(err)
		}
		if err := rw.write(&in[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := rw.flush(); err != nil {
		t.Fatal(err)
	}
	dec := gob.NewDecoder(&g)
	rr := newRecordReader(&c, int64(c.Len()))
	for i := range in {
		var want engine.Finding
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		got, err := rr.next()
		if err != nil {
			t.Fatalf("finding %d: %v", i, err)
		}
		if !reflect.DeepEqual(*got, want) {
			t.Fatalf("finding %d read back as\n%#v\ngob gave\n%#v", i, *got, want)
		}
	}
	if _, err := rr.next(); !errors.Is(err, io.EOF) {
		t.Errorf("after the last finding: %v, want io.EOF", err)
	}
}

// TestSpoolCodecRejectsDamage: a truncated or altered run is an error, not
// a panic nor a silently different finding count.
func TestSpoolCodecRejectsDamage(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 8))
	var c bytes.Buffer
	rw := newRecordWriter(&c)
	for range 20 {
		var f engine.Finding
		fillRandom(rnd, reflect.ValueOf(&f).Elem())
		if err := rw.write(&f); err != nil {
			t.Fatal(err)
		}
	}
	if err := rw.flush(); err != nil {
		t.Fatal(err)
	}
	run := c.Bytes()
	read := func(b []byte) (n int, err error) {
		rr := newRecordReader(bytes.NewReader(b), int64(len(b)))
		for {
			if _, err := rr.next(); err != nil {
				if errors.Is(err, io.EOF) {
					return n, nil
				}
				return n, err
			}
			n++
		}
	}
	if n, err := read(run); n != 20 || err != nil {
		t.Fatalf("intact run: %d findings, %v", n, err)
	}
	if _, err := read(run[:len(run)-3]); err == nil {
		t.Error("a truncated run read without an error")
	}
	for range 200 {
		b := bytes.Clone(run)
		b[rnd.IntN(len(b))] ^= byte(1 + rnd.IntN(255))
		_, _ = read(b) // must not panic; a flipped byte inside a string is not detectable
	}
	if _, err := read([]byte("not a run")); err == nil {
		t.Error("text read as a run")
	}
	// A length beyond the run is refused before its buffer is allocated:
	// 256 MiB asked by a run of a few bytes.
	huge := binary.AppendUvarint(nil, 256<<20)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := read(huge)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Error("a record length beyond the run read without an error")
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 8<<20 {
		t.Errorf("%d bytes allocated reading a run that claims a 256 MiB record", n)
	}
}

// BenchmarkSpoolRun writes and reads back a run of findings as a scan
// makes them (a trail, a related location, a fix), with the spool's codec
// and with encoding/gob.
func BenchmarkSpoolRun(b *testing.B) {
	var fs []engine.Finding
	for i := range 1000 {
		f := manyFindingsForBench(i)
		fs = append(fs, f)
	}
	b.Run("codec", func(b *testing.B) {
		var c bytes.Buffer
		for b.Loop() {
			c.Reset()
			rw := newRecordWriter(&c)
			for i := range fs {
				_ = rw.write(&fs[i])
			}
			_ = rw.flush()
			rr := newRecordReader(&c, int64(c.Len()))
			for {
				if _, err := rr.next(); err != nil {
					break
				}
			}
		}
	})
	b.Run("gob", func(b *testing.B) {
		var c bytes.Buffer
		for b.Loop() {
			c.Reset()
			enc := gob.NewEncoder(&c)
			for i := range fs {
				_ = enc.Encode(&fs[i])
			}
			dec := gob.NewDecoder(&c)
			for {
				var f engine.Finding
				if err := dec.Decode(&f); err != nil {
					break
				}
			}
		}
	})
}

func manyFindingsForBench(i int) engine.Finding {
	file := "stacks/s" + string(rune('a'+i%20)) + "/modules/app/main.tf"
	at := func(l int) model.Range {
		return model.Range{Filename: file, Start: model.Pos{Line: l, Column: 3, Byte: l * 40}, End: model.Pos{Line: l, Column: 30, Byte: l*40 + 27}}
	}
	return engine.Finding{
		CheckID: "AZFUNC-040", Severity: engine.High, Message: "Function app func-" + string(rune('a'+i%26)) + " does not enforce HTTPS-only",
		Range: at(69), Resource: "module.app.azurerm_linux_function_app.this", ResourceType: "azurerm_linux_function_app", Path: "https_only",
		Origin: model.Explicit, Apps: []string{"module.app.azurerm_linux_function_app.this"}, Root: "stacks/a",
		Related:     []engine.Related{{Range: at(202), Message: "module.app is called here"}},
		Trail:       []model.Hop{{Kind: model.HopModuleArgument, Name: "module.app.https_only", Range: at(212)}, {Kind: model.HopAttribute, Range: at(69)}},
		Fingerprint: "950af2e64b521b8133022a673d86" + string(rune('a'+i%26)) + "356d",
		Fix:         &engine.Fix{Message: "Set https_only = true", Edits: []model.Edit{{Kind: model.EditReplace, Range: at(212), Value: true}}},
	}
}

// TestSpoolCodecWritesStringsOnce: a string that repeats across the
// findings of a run (a file name, a related location's message) is
// written out once, then referred to by number; a fingerprint is written
// out every time. A number the run has not given is damage.
func TestSpoolCodecWritesStringsOnce(t *testing.T) {
	var c bytes.Buffer
	rw := newRecordWriter(&c)
	for i := range 50 {
		f := manyFindingsForBench(0)
		f.Fingerprint = "fp-repeated"
		f.Apps = []string{"app-" + string(rune('a'+i%26))}
		if err := rw.write(&f); err != nil {
			t.Fatal(err)
		}
	}
	if err := rw.flush(); err != nil {
		t.Fatal(err)
	}
	run := c.Bytes()
	for s, want := range map[string]int{
		"stacks/sa/modules/app/main.tf": 1,
		"module.app is called here":     1,
		"app-b":                         1,
		"fp-repeated":                   50,
	} {
		if n := bytes.Count(run, []byte(s)); n != want {
			t.Errorf("%q written %d times in the run, want %d", s, n, want)
		}
	}
	rr := newRecordReader(bytes.NewReader(run), int64(len(run)))
	for i := range 50 {
		f, err := rr.next()
		if err != nil {
			t.Fatalf("finding %d: %v", i, err)
		}
		if want := "app-" + string(rune('a'+i%26)); len(f.Apps) != 1 || f.Apps[0] != want || f.Range.Filename != "stacks/sa/modules/app/main.tf" {
			t.Fatalf("finding %d read back with apps %q, file %q", i, f.Apps, f.Range.Filename)
		}
	}
	// A record whose first string (its check id) is number 1000 of a
	// run that wrote none.
	bad := binary.AppendUvarint(nil, 3)
	bad = binary.AppendUvarint(bad, 1000<<1|1)
	bad = append(bad, 0)
	if _, err := newRecordReader(bytes.NewReader(bad), int64(len(bad))).next(); err == nil {
		t.Error("a string numbered beyond those of the run read without an error")
	}
}
