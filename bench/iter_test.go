package bench

// Streaming: kinglet's Select[T].Iter over a million SQLite rows must run in
// constant memory. The million-row file is built once per test process (one
// transaction of prepared 100-row inserts) and shared by the test and the
// benchmark; neither runs in the quick paths (-short, or the CI smoke run of
// the benchmarks at -benchtime 1x without KINGLET_BENCH_MILLION=1).

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/orm"
)

const (
	millionRows  = 1_000_000
	peakHeapMax  = 50 << 20 // bytes: the streaming budget
	sampleEvery  = 10_000   // rows between in-loop heap samples
	envMillion   = "KINGLET_BENCH_MILLION"
	millionBatch = 100 // rows per prepared INSERT
)

var million struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if million.dir != "" {
		os.RemoveAll(million.dir)
	}
	os.Exit(code)
}

// millionFile returns the path of a SQLite file holding millionRows rows of
// bench_users (row i is newUser(i), with id i+1), making it on first use.
func millionFile(tb testing.TB) string {
	tb.Helper()
	million.once.Do(func() {
		million.dir, million.err = os.MkdirTemp("", "kinglet-bench-million-")
		if million.err != nil {
			return
		}
		million.path = filepath.Join(million.dir, "million.db")
		start := time.Now()
		million.err = fillMillion(million.path)
		if million.err == nil {
			tb.Logf("made %d rows in %s in %v", millionRows, million.path, time.Since(start).Round(time.Millisecond))
		}
	})
	if million.err != nil {
		tb.Fatalf("million-row file: %v", million.err)
	}
	return million.path
}

// sqliteURL is the orm.Open URL of a SQLite file (WAL, as orm.Open sets up).
func sqliteURL(path string) string { return "sqlite:" + (&url.URL{Path: path}).EscapedPath() }

func fillMillion(path string) error {
	ctx := context.Background()
	db, err := orm.Open(ctx, sqliteURL(path))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CreateTables(ctx, &kUser{}); err != nil {
		return err
	}
	// Bulk load: no fsync per page, one transaction, one prepared statement.
	if _, err := db.SQL().ExecContext(ctx, "PRAGMA synchronous = OFF"); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("INSERT INTO " + tableName + " (id, " + rawCols + ") VALUES ")
	for i := range millionBatch {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?)")
	}
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, b.String())
	if err != nil {
		return err
	}
	args := make([]any, 0, 6*millionBatch)
	for first := 0; first < millionRows; first += millionBatch {
		args = args[:0]
		for i := first; i < first+millionBatch; i++ {
			u := newUser(i)
			args = append(args, int64(i+1), u.Name, u.Email, u.Age, u.Active, u.CreatedAt)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("rows %d..: %w", first, err)
		}
	}
	if err := stmt.Close(); err != nil {
		return err
	}
	return tx.Commit()
}

// heapPeak samples the heap in the background (and when asked) and keeps the
// highest HeapInuse and HeapAlloc seen.
type heapPeak struct {
	inuse, alloc atomic.Uint64
	stop         chan struct{}
	done         sync.WaitGroup
}

func startHeapPeak(every time.Duration) *heapPeak {
	runtime.GC()
	h := &heapPeak{stop: make(chan struct{})}
	h.sample()
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				h.sample()
			}
		}
	}()
	return h
}

func (h *heapPeak) sample() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	for _, p := range []struct {
		max *atomic.Uint64
		v   uint64
	}{{&h.inuse, ms.HeapInuse}, {&h.alloc, ms.HeapAlloc}} {
		for {
			old := p.max.Load()
			if p.v <= old || p.max.CompareAndSwap(old, p.v) {
				break
			}
		}
	}
}

// finish stops the sampler, takes a last sample and returns the peaks.
func (h *heapPeak) finish() (inuse, alloc uint64) {
	close(h.stop)
	h.done.Wait()
	h.sample()
	return h.inuse.Load(), h.alloc.Load()
}

// iterMillion streams every row through kinglet's Iter, checks that the rows
// come in order with the right values (all of each sampled row), and returns
// how many it saw and the peak heap.
func iterMillion(ctx context.Context, db *orm.DB) (n int, inuse, alloc uint64, err error) {
	h := startHeapPeak(2 * time.Millisecond)
	defer func() {
		if inuse == 0 {
			inuse, alloc = h.finish()
		}
	}()
	for u, err := range orm.Select[kUser](db).OrderBy(kID.Asc()).Iter(ctx) {
		if err != nil {
			return n, 0, 0, fmt.Errorf("row %d: %w", n, err)
		}
		if u.ID != int64(n+1) {
			return n, 0, 0, fmt.Errorf("row %d has id %d, want %d", n, u.ID, n+1)
		}
		if n%sampleEvery == 0 {
			want := newUser(n)
			want.ID = u.ID
			if !sameUser(user(u), want) {
				return n, 0, 0, fmt.Errorf("row %d: %s, want %s", n, show(user(u)), show(want))
			}
			h.sample()
		}
		n++
	}
	inuse, alloc = h.finish()
	return n, inuse, alloc, nil
}

func openMillion(tb testing.TB) *orm.DB {
	tb.Helper()
	path := millionFile(tb)
	db, err := orm.Open(context.Background(), sqliteURL(path))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if db.Dialect().Name() != dialect.SQLite.Name() {
		tb.Fatalf("dialect %s, want sqlite", db.Dialect())
	}
	return db
}

const mb = 1 << 20

// TestIterMillionConstantMemory streams a million rows through Iter and
// asserts that all of them arrive and the heap stays under 50 MB throughout
// (sampled every 10,000 rows and every 2 ms in the background).
func TestIterMillionConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("makes and reads a million-row SQLite file; skipped with -short")
	}
	db := openMillion(t)
	start := time.Now()
	n, inuse, alloc, err := iterMillion(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows in %v; peak HeapInuse %.1f MB, HeapAlloc %.1f MB",
		n, time.Since(start).Round(time.Millisecond), float64(inuse)/mb, float64(alloc)/mb)
	if n != millionRows {
		t.Errorf("saw %d rows, want %d", n, millionRows)
	}
	if inuse >= peakHeapMax || alloc >= peakHeapMax {
		t.Errorf("peak heap HeapInuse %.1f MB / HeapAlloc %.1f MB, want < %d MB",
			float64(inuse)/mb, float64(alloc)/mb, peakHeapMax/mb)
	}
}

// BenchmarkIterMillion/sqlite streams the million rows per iteration and
// reports the peak heap (peak-heap-MB, HeapInuse) and ns/row. It makes the
// file first (seconds), so it runs only with KINGLET_BENCH_MILLION=1.
func BenchmarkIterMillion(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		if os.Getenv(envMillion) != "1" {
			b.Skipf("set %s=1 to stream a million SQLite rows (bench/run.sh does)", envMillion)
		}
		db := openMillion(b)
		ctx := context.Background()
		var peak uint64
		b.ReportAllocs()
		for b.Loop() {
			n, inuse, _, err := iterMillion(ctx, db)
			if err != nil {
				b.Fatal(err)
			}
			if n != millionRows {
				b.Fatalf("saw %d rows, want %d", n, millionRows)
			}
			peak = max(peak, inuse)
		}
		b.ReportMetric(float64(peak)/mb, "peak-heap-MB")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/millionRows, "ns/row")
	})
}
