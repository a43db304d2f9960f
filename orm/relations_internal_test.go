package orm

import (
	"database/sql"
	"database/sql/driver"
	"reflect"
	"testing"
	"time"
)

type relRow struct {
	ID  int64
	Key string
}

func TestRelationRowSetGroupPermutes(t *testing.T) {
	rs := newRowSet(reflect.TypeFor[relRow](), 0)
	for i, k := range []string{"b", "a", "b", "c", "a"} { // not grouped: must be made contiguous
		p := rs.next()
		*(*relRow)(p) = relRow{ID: int64(i + 1), Key: k}
		rs.keys = append(rs.keys, k)
	}
	groups := rs.group()
	got := rs.v.Slice(0, rs.n).Interface().([]relRow)
	want := []relRow{{1, "b"}, {3, "b"}, {2, "a"}, {5, "a"}, {4, "c"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows = %v, want %v", got, want)
	}
	for k, w := range map[string][2]int{"b": {0, 2}, "a": {2, 2}, "c": {4, 1}} {
		if g := groups[k]; g == nil || g.start != w[0] || g.n != w[1] {
			t.Fatalf("group %q = %+v, want start %d n %d", k, g, w[0], w[1])
		}
		for i := groups[k].start; i < groups[k].start+groups[k].n; i++ {
			if rs.keys[i] != k || got[i].Key != k {
				t.Fatalf("row %d: key %v, row %v, want %q", i, rs.keys[i], got[i], k)
			}
		}
	}

	// Rows already grouped stay where they are.
	rs = newRowSet(reflect.TypeFor[relRow](), 1)
	for i, k := range []string{"a", "a", "b"} {
		*(*relRow)(rs.next()) = relRow{ID: int64(i + 1), Key: k}
		rs.keys = append(rs.keys, k)
	}
	before := rs.v.UnsafePointer()
	rs.group()
	if rs.v.UnsafePointer() != before {
		t.Fatal("grouped rows were copied")
	}
}

type relValuer struct{ n int64 }

func (v relValuer) Value() (driver.Value, error) { return v.n, nil }

func TestRelationKeyNormalization(t *testing.T) {
	n := int64(7)
	var nilPtr *int64
	ts := time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))
	for _, c := range []struct {
		in   any
		key  any
		okay bool
	}{
		{int64(7), int64(7), true},
		{int32(7), int64(7), true},
		{uint16(7), int64(7), true},
		{&n, int64(7), true},
		{nilPtr, nil, false},
		{nil, nil, false},
		{int64(0), nil, false},
		{"", nil, false},
		{"k", "k", true},
		{[]byte("k"), "k", true},
		{[2]byte{'k', 'k'}, "kk", true},
		{sql.NullInt64{Int64: 7, Valid: true}, int64(7), true},
		{sql.NullInt64{}, nil, false},
		{relValuer{7}, int64(7), true},
		{ts, ts.UTC(), true},
	} {
		k, ok, err := relKey(c.in)
		if err != nil || ok != c.okay || (ok && k != c.key) {
			t.Errorf("relKey(%#v) = %#v, %v, %v; want %#v, %v", c.in, k, ok, err, c.key, c.okay)
		}
	}
	if _, _, err := relKey([]int{1}); err == nil {
		t.Error("relKey([]int) should fail")
	}
}

func TestRelationBatchSize(t *testing.T) {
	defer SetRelationBatchForTest(0)()
	if got := batchSize(32766); got != defaultRelationBatch {
		t.Fatalf("default batch = %d", got)
	}
	if got := batchSize(100); got != 100 {
		t.Fatalf("batch under a 100-parameter limit = %d", got)
	}
	SetRelationBatchForTest(5)
	if got := batchSize(65535); got != 5 {
		t.Fatalf("batch = %d, want 5", got)
	}
}
