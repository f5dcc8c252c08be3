package report

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// The spool's run files hold findings in a binary form of their own: each
// finding is a record, its length (uvarint) then its fields in a fixed
// order (lists as a length then their contents, numbers as varints). It
// is read back several times faster than encoding/gob wrote and read it,
// with the same result: every exported field of a finding, down to the
// fields of its ignore and its fix (TestSpoolCodecMatchesGob).
//
// A string is written once per run: the first time as its length then
// its bytes, after that as its number among the strings the run wrote
// (see recordEncoder.str). File names, check ids, resource addresses and
// the messages of related locations repeat from one finding to the next
// (a finding's own message, which names its app and resource, seldom):
// a run of the 10k .tf bench corpus is a third of the bytes it was with
// every string written out, and writing and reading back those bytes
// was most of the spool's cost.

// errSpoolRecord is a run whose bytes are not a record this codec wrote.
var errSpoolRecord = errors.New("malformed run record")

// recordWriter writes the records of one run.
type recordWriter struct {
	w       *bufio.Writer
	scratch []byte
	// table numbers the strings the run wrote, in the order written.
	table map[string]uint64
}

func newRecordWriter(w io.Writer) *recordWriter {
	return &recordWriter{w: bufio.NewWriterSize(w, 256<<10), table: map[string]uint64{}}
}

// write writes f as one record.
func (rw *recordWriter) write(f *engine.Finding) error {
	e := recordEncoder{b: rw.scratch[:0], table: rw.table}
	e.finding(f)
	rw.scratch = e.b
	if e.err != nil {
		return e.err
	}
	var n [binary.MaxVarintLen64]byte
	if _, err := rw.w.Write(binary.AppendUvarint(n[:0], uint64(len(e.b)))); err != nil {
		return err
	}
	_, err := rw.w.Write(e.b)
	return err
}

// flush writes what is buffered.
func (rw *recordWriter) flush() error { return rw.w.Flush() }

type recordEncoder struct {
	b     []byte
	table map[string]uint64
	err   error
}

func (e *recordEncoder) int(n int) { e.b = binary.AppendVarint(e.b, int64(n)) }

// str writes a string the run may repeat as a uvarint v: v odd, the
// string numbered v>>1 among those the run wrote before; v even, a new
// string of v>>1 bytes, which follow (and which takes the next number,
// unless it is empty).
func (e *recordEncoder) str(s string) {
	if s == "" {
		e.b = append(e.b, 0)
		return
	}
	if i, ok := e.table[s]; ok {
		e.b = binary.AppendUvarint(e.b, i<<1|1)
		return
	}
	e.table[s] = uint64(len(e.table))
	e.b = append(binary.AppendUvarint(e.b, uint64(len(s))<<1), s...)
}

// unique writes a string no other finding has, or seldom (a
// fingerprint, a replacement text, a message, which names its app and
// resource): its length then its bytes, neither numbered nor looked up.
func (e *recordEncoder) unique(s string) {
	e.b = append(binary.AppendUvarint(e.b, uint64(len(s))), s...)
}

func (e *recordEncoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

func (e *recordEncoder) strs(ss []string) {
	e.int(len(ss))
	for _, s := range ss {
		e.str(s)
	}
}

func (e *recordEncoder) rng(r model.Range) {
	e.str(r.Filename)
	e.int(r.Start.Line)
	e.int(r.Start.Column)
	e.int(r.Start.Byte)
	e.int(r.End.Line)
	e.int(r.End.Column)
	e.int(r.End.Byte)
}

func (e *recordEncoder) finding(f *engine.Finding) {
	e.str(f.CheckID)
	e.str(string(f.Severity))
	e.int(int(f.Status))
	e.unique(f.Message)
	e.rng(f.Range)
	e.str(f.Resource)
	e.str(f.ResourceType)
	e.str(f.Path)
	e.int(int(f.Origin))
	e.int(len(f.Related))
	for _, r := range f.Related {
		e.rng(r.Range)
		e.str(r.Message)
	}
	e.strs(f.Apps)
	e.str(f.Root)
	e.int(len(f.Trail))
	for _, h := range f.Trail {
		e.str(string(h.Kind))
		e.str(h.Name)
		e.rng(h.Range)
	}
	e.bool(f.Computed)
	e.unique(f.Fingerprint)
	e.bool(f.SecretOnLine)
	e.bool(f.Suppressed != nil)
	if ig := f.Suppressed; ig != nil {
		e.strs(ig.Checks)
		e.str(ig.Reason)
		t, err := ig.Expires.MarshalBinary()
		if err != nil {
			e.err = err
			return
		}
		e.unique(string(t))
		e.rng(ig.At)
		e.bool(ig.External)
		e.rng(ig.Scope)
		e.str(ig.Resource)
		e.str(ig.Path)
		e.str(ig.Root)
		e.str(ig.Base)
	}
	e.bool(f.Fix != nil)
	if fx := f.Fix; fx != nil {
		e.str(fx.Message)
		e.int(len(fx.Edits))
		for _, ed := range fx.Edits {
			e.str(string(ed.Kind))
			e.rng(ed.Range)
			e.strs(ed.Path)
			e.value(ed.Value)
		}
		e.bool(fx.Resolved)
		e.int(len(fx.Changes))
		for _, r := range fx.Changes {
			e.rng(r.Range)
			e.unique(r.Text)
		}
	}
	e.str(f.NoFix)
}

// Tags of the values of an edit.
const (
	valueNil = iota
	valueBool
	valueString
	valueInt
	valueInt64
	valueFloat64
)

func (e *recordEncoder) value(v any) {
	switch v := v.(type) {
	case nil:
		e.b = append(e.b, valueNil)
	case bool:
		e.b = append(e.b, valueBool)
		e.bool(v)
	case string:
		e.b = append(e.b, valueString)
		e.str(v)
	case int:
		e.b = append(e.b, valueInt)
		e.int(v)
	case int64:
		e.b = append(e.b, valueInt64)
		e.b = binary.AppendVarint(e.b, v)
	case float64:
		e.b = append(e.b, valueFloat64)
		e.b = binary.BigEndian.AppendUint64(e.b, math.Float64bits(v))
	default:
		e.err = fmt.Errorf("a fix value of type %T", v)
	}
}

// recordReader reads the records of one run.
type recordReader struct {
	r *bufio.Reader
	// left is how many bytes the run has left: a record longer is
	// damage, not a reason to allocate its length.
	left int64
	buf  []byte
	// table holds the strings the run wrote, by number (recordEncoder.str).
	table []string
}

// newRecordReader reads a run of size bytes from r.
func newRecordReader(r io.Reader, size int64) *recordReader {
	return &recordReader{r: bufio.NewReaderSize(r, 64<<10), left: size}
}

// next reads the following finding; io.EOF at the end of the run.
func (rr *recordReader) next() (*engine.Finding, error) {
	n, err := binary.ReadUvarint(rr.r)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("%w: %w", errSpoolRecord, err)
	}
	rr.left -= int64(uvarintLen(n))
	if n > uint64(max(rr.left, 0)) {
		return nil, fmt.Errorf("%w: a record of %d bytes in the %d left", errSpoolRecord, n, max(rr.left, 0))
	}
	rr.left -= int64(n) //nolint:gosec // n is at most rr.left
	if uint64(cap(rr.buf)) < n {
		rr.buf = make([]byte, n)
	}
	rr.buf = rr.buf[:n]
	if _, err := io.ReadFull(rr.r, rr.buf); err != nil {
		return nil, fmt.Errorf("%w: %w", errSpoolRecord, err)
	}
	d := recordDecoder{b: rr.buf, table: rr.table}
	f := d.finding()
	rr.table = d.table
	if d.err != nil || len(d.b) > 0 {
		return nil, errSpoolRecord
	}
	return f, nil
}

// uvarintLen is the length of n written as a uvarint.
func uvarintLen(n uint64) int {
	var b [binary.MaxVarintLen64]byte
	return len(binary.AppendUvarint(b[:0], n))
}

type recordDecoder struct {
	b     []byte
	table []string
	err   error
}

func (d *recordDecoder) fail() {
	d.err = errSpoolRecord
	d.b = nil
}

func (d *recordDecoder) int() int {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

// small reads a number from 0 to most (a Status, an Origin); anything
// else is damage.
func (d *recordDecoder) small(most int) uint8 {
	n := d.int()
	if n < 0 || n > most || n > 255 {
		d.fail()
		return 0
	}
	return uint8(n)
}

// count reads a list length: no more elements than bytes left.
func (d *recordDecoder) count() int {
	n := d.int()
	if n < 0 || n > len(d.b) {
		d.fail()
		return 0
	}
	return n
}

func (d *recordDecoder) raw() []byte {
	l, n := binary.Uvarint(d.b)
	if n <= 0 || l > uint64(len(d.b)-n) { //nolint:gosec // len(d.b) >= n > 0
		d.fail()
		return nil
	}
	end := n + int(l) //nolint:gosec // l is at most len(d.b)
	s := d.b[n:end]
	d.b = d.b[end:]
	return s
}

// str reads a string recordEncoder.str wrote.
func (d *recordDecoder) str() string {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return ""
	}
	d.b = d.b[n:]
	if v&1 == 1 {
		if v>>1 >= uint64(len(d.table)) {
			d.fail()
			return ""
		}
		return d.table[v>>1]
	}
	l := v >> 1
	if l > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	if l == 0 {
		return ""
	}
	s := string(d.b[:l])
	d.b = d.b[l:]
	d.table = append(d.table, s)
	return s
}

// unique reads a string recordEncoder.unique wrote (a fingerprint, a
// message).
func (d *recordDecoder) unique() string { return string(d.raw()) }

func (d *recordDecoder) bool() bool {
	if len(d.b) == 0 || d.b[0] > 1 {
		d.fail()
		return false
	}
	v := d.b[0] == 1
	d.b = d.b[1:]
	return v
}

// strs reads a list of strings; an empty list is nil, as gob gave it.
func (d *recordDecoder) strList() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *recordDecoder) rng() model.Range {
	var r model.Range
	r.Filename = d.str()
	r.Start.Line = d.int()
	r.Start.Column = d.int()
	r.Start.Byte = d.int()
	r.End.Line = d.int()
	r.End.Column = d.int()
	r.End.Byte = d.int()
	return r
}

func (d *recordDecoder) finding() *engine.Finding {
	f := &engine.Finding{}
	f.CheckID = d.str()
	f.Severity = engine.Severity(d.str())
	f.Status = engine.Status(d.small(int(engine.Error)))
	f.Message = d.unique()
	f.Range = d.rng()
	f.Resource = d.str()
	f.ResourceType = d.str()
	f.Path = d.str()
	f.Origin = model.Origin(d.small(int(model.Default)))
	if n := d.count(); n > 0 {
		f.Related = make([]engine.Related, n)
		for i := range f.Related {
			f.Related[i].Range = d.rng()
			f.Related[i].Message = d.str()
		}
	}
	f.Apps = d.strList()
	f.Root = d.str()
	if n := d.count(); n > 0 {
		f.Trail = make([]model.Hop, n)
		for i := range f.Trail {
			f.Trail[i].Kind = model.HopKind(d.str())
			f.Trail[i].Name = d.str()
			f.Trail[i].Range = d.rng()
		}
	}
	f.Computed = d.bool()
	f.Fingerprint = d.unique()
	f.SecretOnLine = d.bool()
	if d.bool() {
		ig := &model.Ignore{}
		ig.Checks = d.strList()
		ig.Reason = d.str()
		var t time.Time
		if err := t.UnmarshalBinary(d.raw()); err != nil {
			d.fail()
		}
		ig.Expires = t
		ig.At = d.rng()
		ig.External = d.bool()
		ig.Scope = d.rng()
		ig.Resource = d.str()
		ig.Path = d.str()
		ig.Root = d.str()
		ig.Base = d.str()
		f.Suppressed = ig
	}
	if d.bool() {
		fx := &engine.Fix{Message: d.str()}
		if n := d.count(); n > 0 {
			fx.Edits = make([]model.Edit, n)
			for i := range fx.Edits {
				ed := &fx.Edits[i]
				ed.Kind = model.EditKind(d.str())
				ed.Range = d.rng()
				ed.Path = d.strList()
				ed.Value = d.value()
			}
		}
		fx.Resolved = d.bool()
		if n := d.count(); n > 0 {
			fx.Changes = make([]model.Replacement, n)
			for i := range fx.Changes {
				// Replacement texts are seldom repeated: not interned.
				fx.Changes[i] = model.Replacement{Range: d.rng(), Text: d.unique()}
			}
		}
		f.Fix = fx
	}
	f.NoFix = d.str()
	return f
}

func (d *recordDecoder) value() any {
	if len(d.b) == 0 {
		d.fail()
		return nil
	}
	tag := d.b[0]
	d.b = d.b[1:]
	switch tag {
	case valueNil:
		return nil
	case valueBool:
		return d.bool()
	case valueString:
		return d.str()
	case valueInt:
		return d.int()
	case valueInt64:
		v, n := binary.Varint(d.b)
		if n <= 0 {
			d.fail()
			return nil
		}
		d.b = d.b[n:]
		return v
	case valueFloat64:
		if len(d.b) < 8 {
			d.fail()
			return nil
		}
		v := math.Float64frombits(binary.BigEndian.Uint64(d.b))
		d.b = d.b[8:]
		return v
	}
	d.fail()
	return nil
}
