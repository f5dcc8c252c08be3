package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/tidwall/gjson"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "azfuncbench:", err)
		os.Exit(2) //nolint:forbidigo // the benchmark driver's main exits with its status
	}
}

// corpus is one generated corpus: its name in the table and gencorpus's
// flags.
type corpus struct {
	name  string
	flags []string
}

func corpora() []corpus {
	return []corpus{
		{"1k .tf", []string{"-tf-files", "1000"}},
		{"10k .tf", []string{"-tf-files", "10000"}},
		{"1k ARM", []string{"-arm", "1000"}},
		{"monorepo (1k .tf, noise 0.9)", []string{"-tf-files", "1000", "-noise", "0.9"}},
		{"200 Pulumi", []string{"-pulumi", "200"}},
	}
}

// selected reports whether the -corpora list names the corpus: by its
// whole name or by the part before a parenthesis, which a name with a
// comma in it ("monorepo (1k .tf, noise 0.9)") needs.
func selected(list, name string) bool {
	short, _, _ := strings.Cut(name, " (")
	for _, n := range strings.Split(list, ",") {
		if n = strings.TrimSpace(n); n == name || n == short {
			return true
		}
	}
	return false
}

// tool is one measured command line over a corpus directory; count
// reads the number of findings from its standard output, or from the
// file report names in out, the directory the tool is told to write its
// report to (KICS writes no report to standard output).
type tool struct {
	name   string
	argv   func(dir, out string) []string
	report string
}

// result is the measurement of one tool on one corpus.
type result struct {
	wall     time.Duration // median
	lo, hi   time.Duration // fastest and slowest run
	rssKB    int64         // peak over the runs
	findings int
	err      error
	// toFloor, for azfuncscan: the median, lowest and highest of the
	// ratios of its runs to the floor's runs they alternated with.
	toFloor, toFloorLo, toFloorHi float64
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "floor" {
		return floor(args[1:], stdout)
	}
	if len(args) == 3 && args[0] == "count" {
		return count(args[1], args[2], stdout)
	}
	fl := flag.NewFlagSet("azfuncbench", flag.ContinueOnError)
	fl.SetOutput(stderr)
	gen := fl.String("gencorpus", "", "directory of the gencorpus tool (required; tools/gencorpus of the shared material)")
	work := fl.String("work", filepath.Join(os.TempDir(), "azfuncbench"), "directory for the corpora and binaries (reused)")
	runs := fl.Int("runs", 3, "runs per measurement (the median wall time is reported)")
	seed := fl.Int("seed", 1, "gencorpus seed")
	only := fl.String("corpora", "", "comma-separated subset of corpus names, each whole or up to its parenthesis (\"monorepo\"); default all")
	install := fl.Bool("install-peers", false, "go install tfsec v1.28.14 before measuring")
	onlyPeers := fl.String("peers", "", "comma-separated subset of peers to measure (default every one found; \"none\" for none)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *gen == "" {
		return errors.New("-gencorpus DIR is required: the directory of the gencorpus tool")
	}
	if err := os.MkdirAll(*work, 0o750); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	bin := filepath.Join(*work, "bin")
	scanner := filepath.Join(bin, "azfuncscan")
	// Built as the README's install and the GitHub Action build it:
	// without cgo, statically linked.
	if err := goCmd(ctx, stderr, "", "build", "-o", scanner, "github.com/azfuncscan/azfuncscan/cmd/azfuncscan"); err != nil {
		return fmt.Errorf("build azfuncscan: %w", err)
	}
	gencorpus := filepath.Join(bin, "gencorpus")
	if err := goCmd(ctx, stderr, *gen, "build", "-o", gencorpus, "."); err != nil {
		return fmt.Errorf("build gencorpus: %w", err)
	}
	if *install {
		if err := goCmd(ctx, stderr, "", "install", "github.com/aquasecurity/tfsec/cmd/tfsec@v1.28.14"); err != nil {
			return fmt.Errorf("install tfsec: %w", err)
		}
	}
	tools := []tool{
		{name: "floor", argv: func(d, _ string) []string { return []string{self, "floor", d} }},
		{name: "azfuncscan", argv: func(d, _ string) []string { return []string{scanner, "scan", "--format", "sarif", d} }},
	}
	var notes []string
	for _, p := range peers() {
		if *onlyPeers != "" && !slices.Contains(strings.Split(*onlyPeers, ","), p.name) {
			continue
		}
		path, err := lookPath(p.name)
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s: not found on PATH, skipped", p.name))
			continue
		}
		argv := p.argv
		tools = append(tools, tool{name: p.name, report: p.report, argv: func(d, o string) []string { return append([]string{path}, argv(d, o)[1:]...) }})
	}

	pr := &printer{w: stdout}
	pr.f("%d CPUs, %s/%s, median of %d runs, seed %d\n\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, *runs, *seed)
	pr.f("| corpus | files | tool | wall | runs | peak RSS | findings | × floor | × azfuncscan |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, c := range corpora() {
		if *only != "" && !selected(*only, c.name) {
			continue
		}
		dir, files, err := generate(ctx, gencorpus, *work, *seed, c)
		if err != nil {
			return err
		}
		// The floor and azfuncscan run in alternation, so that both see
		// the VM in the same state; the peers, which take tens of
		// seconds a run, one after another.
		floorRes, scanRes := measurePair(ctx, self, tools[0], tools[1], dir, *work, *runs)
		pr.f("%s\n", row(c.name, files, tools[0].name, floorRes, floorRes, scanRes))
		pr.f("%s\n", row(c.name, files, tools[1].name, scanRes, floorRes, scanRes))
		for _, t := range tools[2:] {
			r := measure(ctx, self, t, dir, *work, *runs)
			pr.f("%s\n", row(c.name, files, t.name, r, floorRes, scanRes))
		}
	}
	for _, n := range notes {
		pr.f("\n%s\n", n)
	}
	return pr.err
}

// printer writes to w until a write fails, and keeps the error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// row formats one line of the table.
func row(corpus string, files int, name string, r, floorRes, scanRes result) string {
	if r.err != nil {
		return fmt.Sprintf("| %s | %d | %s | failed: %v | | | | | |", corpus, files, name, r.err)
	}
	ratio := func(base result) string {
		if base.err != nil || base.wall == 0 {
			return ""
		}
		return fmt.Sprintf("%.2f×", r.wall.Seconds()/base.wall.Seconds())
	}
	toFloor, toScan := ratio(floorRes), ratio(scanRes)
	switch name {
	case "floor":
		toFloor, toScan = "1×", ""
	case "azfuncscan":
		toScan = "1×"
		if r.toFloor > 0 {
			toFloor = fmt.Sprintf("%.2f× (%.2f-%.2f)", r.toFloor, r.toFloorLo, r.toFloorHi)
		}
	}
	return fmt.Sprintf("| %s | %d | %s | %.2f s | %.2f-%.2f s | %d MB | %d | %s | %s |",
		corpus, files, name, r.wall.Seconds(), r.lo.Seconds(), r.hi.Seconds(), r.rssKB/1024, r.findings, toFloor, toScan)
}

// generate writes the corpus c into work (once: an existing complete
// corpus is reused) and returns its directory and file count.
func generate(ctx context.Context, gencorpus, work string, seed int, c corpus) (string, int, error) {
	dir := filepath.Join(work, fmt.Sprintf("seed%d", seed), strings.Join(c.flags, ""))
	done := filepath.Join(dir, ".complete")
	if _, err := os.Stat(done); err != nil {
		if err := os.RemoveAll(dir); err != nil {
			return "", 0, err
		}
		args := append([]string{"-out", filepath.Join(dir, "corpus"), "-seed", fmt.Sprint(seed), "-manifest=false", "-q"}, c.flags...)
		cmd := exec.CommandContext(ctx, gencorpus, args...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", 0, fmt.Errorf("gencorpus %v: %w\n%s", args, err, out)
		}
		if err := os.WriteFile(done, nil, 0o600); err != nil {
			return "", 0, err
		}
	}
	dir = filepath.Join(dir, "corpus")
	files := 0
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files++
		}
		return err
	})
	return dir, files, err
}

// measure runs t on dir n times: the median wall time and the range of
// the runs' (this VM is noisy: the range says how much), the highest peak
// RSS, and the findings of the last run.
//
// The child's output goes to a file and is counted by another process:
// Linux reports as a child's peak RSS at least the driver's own peak at
// the time it started the child (exec records the peak of the memory the
// child was forked with), so the driver must stay small.
func measure(ctx context.Context, self string, t tool, dir, work string, n int) result {
	var r result
	walls := make([]time.Duration, 0, n)
	for range n {
		wall, err := runOnce(ctx, t, dir, work, &r)
		if err != nil {
			return result{err: err}
		}
		walls = append(walls, wall)
	}
	return finish(ctx, self, t, work, r, walls)
}

// measurePair measures a and b as measure does, running them in
// alternation (a, b, a, b, …), and gives b the ratios of each of its runs
// to the run of a before it: on a VM whose speed drifts by a third within
// an hour, the ratio of two medians taken minutes apart swings with the
// drift, where runs a second apart see the same machine.
func measurePair(ctx context.Context, self string, a, b tool, dir, work string, n int) (ra, rb result) {
	wa := make([]time.Duration, 0, n)
	wb := make([]time.Duration, 0, n)
	for range n {
		x, err := runOnce(ctx, a, dir, work, &ra)
		if err != nil {
			return result{err: err}, result{err: err}
		}
		y, err := runOnce(ctx, b, dir, work, &rb)
		if err != nil {
			return finish(ctx, self, a, work, ra, append(wa, x)), result{err: err}
		}
		wa, wb = append(wa, x), append(wb, y)
	}
	ra, rb = finish(ctx, self, a, work, ra, wa), finish(ctx, self, b, work, rb, wb)
	if rb.err == nil {
		rb.toFloor, rb.toFloorLo, rb.toFloorHi = pairedRatios(wa, wb)
	}
	return ra, rb
}

// pairedRatios returns the median, lowest and highest of the ratios
// b[i]/a[i] (the median as median takes it), or zeros when there are
// none.
func pairedRatios(a, b []time.Duration) (med, lo, hi float64) {
	n := min(len(a), len(b))
	if n == 0 {
		return 0, 0, 0
	}
	ratios := make([]float64, n)
	for i := range n {
		ratios[i] = b[i].Seconds() / a[i].Seconds()
	}
	slices.Sort(ratios)
	return ratios[n/2], ratios[0], ratios[n-1]
}

// runOnce runs t on dir once, its output to work's file for t, and
// returns its wall time; r keeps the highest peak RSS.
func runOnce(ctx context.Context, t tool, dir, work string, r *result) (time.Duration, error) {
	outPath := filepath.Join(work, "out-"+t.name)
	outDir := outPath + ".d"
	argv := t.argv(dir, outDir)
	if err := os.RemoveAll(outDir); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(outDir, 0o750); err != nil {
		return 0, err
	}
	out, err := os.Create(outPath)
	if err != nil {
		return 0, err
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = out, io.Discard
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	_ = out.Close() // written by the child; counted by finish
	var exit *exec.ExitError
	if err != nil && (!errors.As(err, &exit) || exit.ExitCode() != 1) { // 1: findings
		return 0, fmt.Errorf("%s: %w", t.name, err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.rssKB = max(r.rssKB, ru.Maxrss) // kilobytes on Linux
	}
	return wall, nil
}

// finish completes r, the runs of t whose wall times are walls: the
// median and range, and the findings of the last run.
func finish(ctx context.Context, self string, t tool, work string, r result, walls []time.Duration) result {
	outPath := filepath.Join(work, "out-"+t.name)
	if t.report != "" {
		outPath = filepath.Join(outPath+".d", t.report)
	}
	var counted bytes.Buffer
	cmd := exec.CommandContext(ctx, self, "count", t.name, outPath)
	cmd.Stdout = &counted
	if err := cmd.Run(); err != nil {
		return result{err: fmt.Errorf("count %s findings: %w", t.name, err)}
	}
	if _, err := fmt.Sscan(counted.String(), &r.findings); err != nil {
		return result{err: fmt.Errorf("count %s findings: %w", t.name, err)}
	}
	r.wall = median(walls)
	if len(walls) > 0 {
		r.lo, r.hi = slices.Min(walls), slices.Max(walls)
	}
	return r
}

// count prints the number of findings in the output file of tool name.
func count(name, path string, stdout io.Writer) error {
	out, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	counters := map[string]func([]byte) (int, error){
		"floor": countLine, "azfuncscan": countSARIF, "tfsec": countTfsec, "trivy": countTrivy, "kics": countKICS,
	}
	c, ok := counters[name]
	if !ok {
		return fmt.Errorf("no counter for %s", name)
	}
	n, err := c(out)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, n)
	return err
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// countLine reads the floor's output: the number of files parsed.
func countLine(out []byte) (int, error) {
	var n int
	_, err := fmt.Sscan(string(out), &n)
	return n, err
}

// countSARIF counts the results of every run of a SARIF log.
func countSARIF(out []byte) (int, error) {
	var log struct {
		Runs []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out, &log); err != nil {
		return 0, err
	}
	n := 0
	for _, r := range log.Runs {
		n += len(r.Results)
	}
	return n, nil
}

// peers are the other scanners measured when found on PATH; argv[0] is
// replaced by the path found.
func peers() []tool {
	return []tool{
		{name: "tfsec", argv: func(d, _ string) []string {
			return []string{"tfsec", "--format", "json", "--no-color", "--soft-fail", d}
		}},
		{name: "trivy", argv: func(d, _ string) []string {
			return []string{"trivy", "config", "--skip-check-update", "--quiet", "--format", "json", d}
		}},
		{name: "kics", report: "results.json", argv: kicsArgv},
	}
}

// kicsVersion is the KICS release whose queries are looked for in the Go
// module cache (go install github.com/Checkmarx/kics/v2/cmd/console@v2.1.16
// builds its binary, named console: link it as kics on PATH).
const kicsVersion = "v2.1.16"

// kicsArgv is the KICS scan of d, its JSON report written to out: no
// secret scanning (azfuncscan does not do KICS's generic secret search),
// exit status 0 with results (its status otherwise says their
// severity). A binary built by go install finds no queries beside it:
// they are taken from its module in the module cache when there.
func kicsArgv(d, out string) []string {
	argv := []string{"kics", "scan", "-p", d, "-o", out, "--report-formats", "json",
		"--no-progress", "--disable-secrets", "--ignore-on-exit", "results"}
	if gomodcache, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		assets := filepath.Join(strings.TrimSpace(string(gomodcache)), "github.com", "!checkmarx", "kics", "v2@"+kicsVersion, "assets")
		if _, err := os.Stat(filepath.Join(assets, "queries")); err == nil {
			argv = append(argv, "-q", filepath.Join(assets, "queries"), "--libraries-path", filepath.Join(assets, "libraries"))
		}
	}
	return argv
}

// countKICS counts the results of KICS's JSON report (every instance of
// every query that failed).
func countKICS(out []byte) (int, error) {
	var doc struct {
		Total *int `json:"total_counter"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		return 0, err
	}
	if doc.Total == nil {
		return 0, errors.New("no total_counter in the KICS report")
	}
	return *doc.Total, nil
}

// countTfsec counts the results of tfsec's JSON output.
func countTfsec(out []byte) (int, error) {
	var doc struct {
		Results []json.RawMessage `json:"results"`
	}
	err := json.Unmarshal(out, &doc)
	return len(doc.Results), err
}

// countTrivy counts the failed misconfigurations of trivy's JSON output.
func countTrivy(out []byte) (int, error) {
	var doc struct {
		Results []struct {
			Misconfigurations []struct {
				Status string `json:"Status"`
			} `json:"Misconfigurations"`
		} `json:"Results"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		return 0, err
	}
	n := 0
	for _, r := range doc.Results {
		for _, m := range r.Misconfigurations {
			if m.Status == "FAIL" {
				n++
			}
		}
	}
	return n, nil
}

// lookPath finds a peer on PATH or in the go install directory.
func lookPath(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	gobin := os.Getenv("GOBIN")
	if gobin == "" {
		if gp := os.Getenv("GOPATH"); gp != "" {
			gobin = filepath.Join(gp, "bin")
		} else if home, err := os.UserHomeDir(); err == nil {
			gobin = filepath.Join(home, "go", "bin")
		}
	}
	p := filepath.Join(gobin, name)
	if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
		return p, nil
	}
	return "", fmt.Errorf("%s not found", name)
}

func goCmd(ctx context.Context, stderr io.Writer, dir string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, stderr, stderr
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	return cmd.Run()
}

// floor reads and parses every .tf and .json file under the directories
// given, on all cores, and prints how many it parsed: the cost of merely
// parsing the input, which no scanner can beat.
func floor(dirs []string, stdout io.Writer) error {
	var paths []string
	for _, d := range dirs {
		err := filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.Type().IsRegular() && (strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".json")) {
				paths = append(paths, p)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	work := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	parsed, bad := 0, 0
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			ok, ko := 0, 0
			for p := range work {
				src, err := os.ReadFile(p)
				switch {
				case err != nil:
					ko++
				case strings.HasSuffix(p, ".tf"):
					// A parser per file, as a scanner of independent
					// modules would have.
					if _, diags := hclparse.NewParser().ParseHCL(src, p); diags.HasErrors() {
						ko++
					} else {
						ok++
					}
				default:
					if gjson.ValidBytes(src) {
						ok++
					} else {
						ko++
					}
				}
			}
			mu.Lock()
			parsed, bad = parsed+ok, bad+ko
			mu.Unlock()
		})
	}
	for _, p := range paths {
		work <- p
	}
	close(work)
	wg.Wait()
	if _, err := fmt.Fprintln(stdout, parsed); err != nil {
		return err
	}
	if bad > 0 {
		return fmt.Errorf("%d files did not parse", bad)
	}
	return nil
}
