package parsers

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// TestStreamMapOrderAndWork: StreamMap gives work every module Load
// gives, and each gets work's results in Load's order, on one goroutine
// at a time, whatever order the modules were loaded and worked in; a
// file that gives no module (broken JSON: a diagnostic) reaches neither,
// and its diagnostic is in the result. An error from each stops the scan
// and is returned.
func TestStreamMapOrderAndWork(t *testing.T) {
	files := map[string]string{"broken/azuredeploy.json": `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [`}
	for _, d := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		files["tf-"+d+"/main.tf"] = "resource \"azurerm_linux_function_app\" \"" + d + "\" {\n  name = \"func-" + d + "\"\n}\n"
		files["arm-"+d+"/azuredeploy.json"] = `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}`
	}
	dir := writeFiles(t, files)
	ctx := context.Background()
	want, err := Load(ctx, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu     sync.Mutex
		worked = map[string]bool{}
		got    []string
		inEach bool
	)
	res, err := StreamMap(ctx, []string{dir}, Options{}, func(m *model.Module) string {
		mu.Lock()
		defer mu.Unlock()
		worked[m.Path] = true
		return "worked " + m.Path
	}, func(s string) error {
		if inEach {
			t.Error("each runs beside another each")
		}
		inEach = true
		defer func() { inEach = false }()
		got = append(got, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Modules) != 21 || len(got) != len(want.Modules) {
		t.Fatalf("Load gave %d modules, StreamMap delivered %d: %q", len(want.Modules), len(got), got)
	}
	for i, m := range want.Modules {
		if got[i] != "worked "+m.Path {
			t.Errorf("delivery %d is %q, Load's module %d is %s", i, got[i], i, m.Path)
		}
		if !worked[m.Path] {
			t.Errorf("work never saw %s", m.Path)
		}
	}
	if len(res.Diagnostics) == 0 || len(res.Diagnostics) != len(want.Diagnostics) {
		t.Errorf("diagnostics: StreamMap %v, Load %v", res.Diagnostics, want.Diagnostics)
	}
	stop := errors.New("stop")
	n := 0
	_, err = StreamMap(ctx, []string{dir}, Options{}, func(m *model.Module) *model.Module { return m }, func(*model.Module) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("each's error: got %v after %d deliveries", err, n)
	}
}

// TestLoadUnitsWindow: while the unit awaited has not loaded, loadUnits
// starts no more than its window of units, so results cannot pile up in
// memory behind a slow unit; once it loads, the rest follow in order.
func TestLoadUnitsWindow(t *testing.T) {
	const n = 100
	window := aheadWindow(runtime.GOMAXPROCS(0))
	release := make(chan struct{})
	var started atomic.Int64
	h := &handler{}
	units := make([]*unit, n)
	for i := range units {
		units[i] = &unit{h: h, path: fmt.Sprint(i), load: func(context.Context, string, Options) (*model.Module, model.Diagnostics) {
			started.Add(1)
			if i == 0 {
				<-release
			}
			return &model.Module{Path: fmt.Sprint(i)}, nil
		}}
	}
	done := make(chan error, 1)
	var got []string
	go func() {
		done <- loadUnits(context.Background(), units, Options{}, func(m *model.Module) string { return m.Path }, func(p string, ok bool, _ model.Diagnostics) error {
			got = append(got, p)
			return nil
		})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for started.Load() < int64(window) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // time to start more, were they allowed
	if s := started.Load(); s != int64(window) {
		t.Errorf("with the first unit loading, %d units started; the window is %d", s, window)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("%d units delivered, want %d", len(got), n)
	}
	for i, p := range got {
		if p != fmt.Sprint(i) {
			t.Fatalf("delivery %d is unit %s", i, p)
		}
	}
}
