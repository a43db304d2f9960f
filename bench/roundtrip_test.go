package bench

// Round trips: the same five operations on the same table and rows, by raw
// database/sql (the floor), kinglet's orm, native pgx (PostgreSQL only), sqlx,
// bun and GORM, all on the same driver per engine, each library on a pool of
// its own with the same settings (a pool shared by some libraries would keep
// its connection warmer than the others' in the interleaved runs):
//
//	BenchmarkRoundTrip/<engine>/<op>/<lib>          ns/op, B/op, allocs/op
//	BenchmarkRoundTrip/<engine>/<op>/interleaved    <lib>/raw: median time ratio
//
// The separate <lib> runs give each library's own time and allocations; on a
// busy machine they see different load (and -count repeats one library before
// the next), so <op>/interleaved runs every library once per iteration, in a
// new random order each time, and reports each one's median time over raw's
// median: the ratio the results table and chart use.

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/testdb"
)

// user is the row every library reads and writes; each library has its own
// type of the same shape (with its own tags), converted to user only to check
// results.
type user struct {
	ID        int64
	Name      string
	Email     *string
	Age       int
	Active    bool
	CreatedAt time.Time
}

const (
	tableName = "bench_users"
	seedRows  = 1000 // rows seeded before the benchmarks
	batchRows = 100  // rows of insert_100 and select_100
	targetRow = 500  // the seeded row that update_one rewrites
)

var benchCreated = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// newUser is the i-th row of the data set; a third of the rows have a NULL
// email.
func newUser(i int) user {
	u := user{Name: fmt.Sprintf("user%05d", i), Age: 20 + i%50, Active: i%2 == 0, CreatedAt: benchCreated}
	if i%3 != 0 {
		e := fmt.Sprintf("user%05d@example.com", i)
		u.Email = &e
	}
	return u
}

func sameUser(a, b user) bool {
	sameEmail := (a.Email == nil) == (b.Email == nil) && (a.Email == nil || *a.Email == *b.Email)
	return a.ID == b.ID && a.Name == b.Name && sameEmail && a.Age == b.Age && a.Active == b.Active &&
		a.CreatedAt.Equal(b.CreatedAt)
}

// client is one library's way of doing the benchmarked operations. Each keeps
// its own copies of the rows (in its own type) and the results of its last
// read, so that the timed calls convert nothing.
type client interface {
	// insertOne inserts the row data.one and fills its ID.
	insertOne(ctx context.Context) error
	// insertBatch inserts the 100 rows data.batch in one statement and
	// fills their IDs.
	insertBatch(ctx context.Context) error
	// update writes every column of the row data.target, with age set to
	// age.
	update(ctx context.Context, age int) error
	// get reads the row with primary key id.
	get(ctx context.Context, id int64) error
	// list reads the first 100 rows by id into a new slice and returns how
	// many it read.
	list(ctx context.Context) (int, error)

	// The results, as users, for the checks (never timed).
	inserted() (one user, batch []user)
	got() user
	listed() []user
}

// libs are the libraries of the round trips, in the order of the results.
var libs = []string{"raw", "kinglet", "kinglet-pgx", "pgx", "sqlx", "bun", "gorm"}

// data is what every client starts from.
type data struct {
	one    user
	batch  []user
	target user
}

// env is one engine's database, shared by all clients.
type env struct {
	engine  string
	driver  string // the database/sql driver name
	d       dialect.Dialect
	sdb     *sql.DB // the database/sql pool of the set-up; each client opens its own (pool)
	dsn     string  // reaches the isolated schema/database
	raw     rawSQL
	seedIDs []int64
	maxSeed int64
	data    data
	clients []client // in the order of libs; pgx only on PostgreSQL
	names   []string
}

// poolConns is the size of every library's pool.
const poolConns = 4

// pool opens a database/sql pool of its own on e's database (closed when tb
// ends), with the settings every library's pool has.
func (e *env) pool(tb testing.TB) *sql.DB {
	tb.Helper()
	sdb, err := sql.Open(e.driver, e.dsn)
	if err != nil {
		tb.Fatal(err)
	}
	sdb.SetMaxOpenConns(poolConns)
	sdb.SetMaxIdleConns(poolConns)
	tb.Cleanup(func() { sdb.Close() })
	return sdb
}

// setupEngine makes an isolated database on engine (skipping the benchmark
// or test if the server is unreachable), creates and seeds the table, and
// opens every client on it.
func setupEngine(tb testing.TB, engine string) *env {
	tb.Helper()
	ctx := context.Background()
	tdb := testdb.Open(tb, engine)
	e := &env{engine: engine, driver: tdb.DriverName(), d: tdb.Dialect, sdb: tdb.DB, dsn: tdb.DSN, raw: newRawSQL(tdb.Dialect)}
	if engine == testdb.Postgres {
		// Commit without waiting for the WAL flush, in the benchmark's own
		// sessions only (as orm/bench_test.go does), so that writes measure
		// the client rather than the disk. MariaDB's equivalent is global, so
		// its writes include the flush.
		e.dsn = withPgParam(tdb.DSN, "synchronous_commit", "off")
		sdb := e.pool(tb)
		var sc string
		if err := sdb.QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&sc); err != nil || sc != "off" {
			tb.Fatalf("synchronous_commit = %q, %v", sc, err)
		}
		e.sdb = sdb
	}
	if err := createTable(ctx, e.sdb, e.d); err != nil {
		tb.Fatalf("%s: create %s: %v", engine, tableName, err)
	}
	seed := make([]user, seedRows)
	for i := range seed {
		seed[i] = newUser(i)
	}
	for i := 0; i < seedRows; i += batchRows {
		if err := e.raw.insertUsers(ctx, e.sdb, seed[i:i+batchRows]); err != nil {
			tb.Fatalf("%s: seed: %v", engine, err)
		}
	}
	for _, u := range seed {
		e.seedIDs = append(e.seedIDs, u.ID)
	}
	e.maxSeed = slices.Max(e.seedIDs)
	e.data.one = newUser(seedRows + 1)
	for i := range batchRows {
		e.data.batch = append(e.data.batch, newUser(seedRows+2+i))
	}
	e.data.target = seed[targetRow]
	e.data.target.Age = 0

	for _, name := range libs {
		c, err := newClient(tb, name, e)
		if err != nil {
			tb.Fatalf("%s: open %s: %v", engine, name, err)
		}
		if c != nil {
			e.clients = append(e.clients, c)
			e.names = append(e.names, name)
		}
	}
	return e
}

// withPgParam adds a run-time parameter to a PostgreSQL DSN in URL or
// keyword/value form (pgx sends parameters it does not know to the server).
func withPgParam(dsn, key, value string) string {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn + " " + key + "=" + value
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + key + "=" + value
}

// createTable creates the table through kinglet's DDL (the types kinglet
// chooses per engine: BIGINT identity/AUTO_INCREMENT or INTEGER PRIMARY KEY,
// VARCHAR, BOOLEAN, TIMESTAMPTZ / DATETIME(6) / DATETIME).
func createTable(ctx context.Context, sdb *sql.DB, d dialect.Dialect) error {
	q, err := createTableSQL(d)
	if err != nil {
		return err
	}
	_, err = sdb.ExecContext(ctx, q)
	return err
}

// newClient opens library name on e, or returns nil when the library does
// not run on e's engine (pgx outside PostgreSQL). A database/sql library gets
// a pool of its own (see pool), as the pgx ones do.
func newClient(tb testing.TB, name string, e *env) (client, error) {
	own := func() *env {
		ce := *e
		ce.sdb = e.pool(tb)
		return &ce
	}
	switch name {
	case "raw":
		return newRawClient(own()), nil
	case "kinglet":
		return newKingletClient(own()), nil
	case "kinglet-pgx":
		if e.engine != testdb.Postgres {
			return nil, nil
		}
		return newKingletPgxClient(tb, e)
	case "pgx":
		if e.engine != testdb.Postgres {
			return nil, nil
		}
		return newPgxClient(tb, e)
	case "sqlx":
		return newSqlxClient(own()), nil
	case "bun":
		ce := own()
		if e.engine == testdb.Postgres {
			// bun's documentation for pgx advises turning prepared statements
			// off: bun writes the values into the text, so every statement
			// is new, and pgx's default mode would prepare (and, past its
			// cache of 512, deallocate) one per call.
			be := *e
			be.dsn = withPgParam(e.dsn, "default_query_exec_mode", "simple_protocol")
			ce.sdb = be.pool(tb)
		}
		return newBunClient(ce)
	case "gorm":
		return newGormClient(own())
	}
	return nil, fmt.Errorf("unknown library %q", name)
}

// trim deletes the rows the benchmarks inserted, so that the table does not
// grow across runs. It runs before a timed loop starts.
func (e *env) trim(tb testing.TB) {
	tb.Helper()
	if _, err := e.sdb.ExecContext(context.Background(), "DELETE FROM "+tableName+" WHERE id > "+e.raw.ph(1), e.maxSeed); err != nil {
		tb.Fatalf("%s: trim: %v", e.engine, err)
	}
}

var ageSeq atomic.Int64 // a new age for every update, so each one changes its row

// ops are the benchmarked operations, in the order of the results.
var ops = []struct {
	name string
	run  func(e *env, c client, ctx context.Context, i int) error
}{
	{"insert_one", func(_ *env, c client, ctx context.Context, _ int) error { return c.insertOne(ctx) }},
	{"insert_100", func(_ *env, c client, ctx context.Context, _ int) error { return c.insertBatch(ctx) }},
	{"update_one", func(_ *env, c client, ctx context.Context, _ int) error {
		return c.update(ctx, int(ageSeq.Add(1)))
	}},
	{"get_pk", func(e *env, c client, ctx context.Context, i int) error {
		return c.get(ctx, e.seedIDs[i%len(e.seedIDs)])
	}},
	{"select_100", func(_ *env, c client, ctx context.Context, _ int) error {
		n, err := c.list(ctx)
		if err == nil && n != batchRows {
			err = fmt.Errorf("read %d rows, want %d", n, batchRows)
		}
		return err
	}},
}

// warmups is how often setup runs each operation of each client before the
// benchmarks, to fill pools, statement caches and the libraries' own caches.
const warmups = 5

func BenchmarkRoundTrip(b *testing.B) {
	for _, engine := range testdb.Engines() {
		b.Run(engine, func(b *testing.B) {
			e := setupEngine(b, engine)
			ctx := context.Background()
			if err := e.check(ctx); err != nil {
				b.Fatal(err)
			}
			for _, op := range ops {
				for _, c := range e.clients {
					for i := range warmups {
						if err := op.run(e, c, ctx, i); err != nil {
							b.Fatalf("warm-up %s: %v", op.name, err)
						}
					}
				}
			}
			for _, op := range ops {
				b.Run(op.name, func(b *testing.B) {
					for k, c := range e.clients {
						b.Run(e.names[k], func(b *testing.B) {
							e.trim(b)
							b.ReportAllocs()
							i := 0
							for b.Loop() {
								if err := op.run(e, c, ctx, i); err != nil {
									b.Fatal(err)
								}
								i++
							}
						})
					}
					b.Run("interleaved", func(b *testing.B) {
						e.trim(b)
						interleave(b, e, func(c client, i int) error { return op.run(e, c, ctx, i) })
					})
				})
			}
			e.trim(b)
		})
	}
}

// interleave runs every client once per iteration, in a fresh random order,
// and reports each one's median time over raw's median time as <lib>/raw.
func interleave(b *testing.B, e *env, run func(c client, i int) error) {
	times := make([][]time.Duration, len(e.clients))
	order := make([]int, len(e.clients))
	for k := range order {
		order[k] = k
	}
	rng := rand.New(rand.NewPCG(1, 2)) // a fixed order would alias with periodic I/O
	i := 0
	for b.Loop() {
		rng.Shuffle(len(order), func(x, y int) { order[x], order[y] = order[y], order[x] })
		for _, k := range order {
			start := time.Now()
			if err := run(e.clients[k], i); err != nil {
				b.Fatalf("%s: %v", e.names[k], err)
			}
			times[k] = append(times[k], time.Since(start))
		}
		i++
	}
	med := make([]float64, len(times))
	for k, ts := range times {
		slices.Sort(ts)
		med[k] = float64(ts[len(ts)/2])
	}
	for k := 1; k < len(e.clients); k++ { // e.clients[0] is raw
		b.ReportMetric(med[k]/med[0], e.names[k]+"/raw")
	}
}

// check makes sure every client reads and writes the same rows as raw: the
// benchmarks compare equal work only if this holds.
func (e *env) check(ctx context.Context) error {
	raw := e.clients[0]
	for k, c := range e.clients {
		name := e.names[k]
		fail := func(format string, args ...any) error {
			return fmt.Errorf("%s: %s: %s", e.engine, name, fmt.Sprintf(format, args...))
		}
		// Reads: a row by key, and the first 100 rows with their values.
		for _, idx := range []int{0, 1, 2, 499, seedRows - 1} {
			if err := c.get(ctx, e.seedIDs[idx]); err != nil {
				return fail("get: %v", err)
			}
			want := newUser(idx)
			want.ID = e.seedIDs[idx]
			if got := c.got(); !sameUser(got, want) {
				return fail("get row %d: %+v, want %+v", idx, got, want)
			}
		}
		n, err := c.list(ctx)
		if err != nil {
			return fail("list: %v", err)
		}
		rows := c.listed()
		if n != batchRows || len(rows) != batchRows {
			return fail("list: %d rows (reported %d), want %d", len(rows), n, batchRows)
		}
		for i, got := range rows {
			want := newUser(i)
			want.ID = e.seedIDs[i]
			if !sameUser(got, want) {
				return fail("list row %d: %+v, want %+v", i, got, want)
			}
		}
		// Writes, read back by raw: one row, 100 rows, an update.
		if err := c.insertOne(ctx); err != nil {
			return fail("insert one: %v", err)
		}
		one, _ := c.inserted()
		if one.ID <= e.maxSeed {
			return fail("insert one: id %d not filled", one.ID)
		}
		if err := e.readBack(ctx, raw, one, e.data.one); err != nil {
			return fail("insert one: %v", err)
		}
		if err := c.insertBatch(ctx); err != nil {
			return fail("insert 100: %v", err)
		}
		_, batch := c.inserted()
		seen := map[int64]bool{}
		for i, u := range batch {
			if u.ID <= e.maxSeed || seen[u.ID] {
				return fail("insert 100: row %d: id %d not filled or repeated", i, u.ID)
			}
			seen[u.ID] = true
			if err := e.readBack(ctx, raw, u, e.data.batch[i]); err != nil {
				return fail("insert 100: row %d: %v", i, err)
			}
		}
		age := int(ageSeq.Add(1))
		if err := c.update(ctx, age); err != nil {
			return fail("update: %v", err)
		}
		want := e.data.target
		want.Age = age
		if err := e.readBack(ctx, raw, want, want); err != nil {
			return fail("update: %v", err)
		}
	}
	return nil
}

// readBack reads got.ID through raw and compares it with want (whose ID is
// ignored), and with got.
func (e *env) readBack(ctx context.Context, raw client, got, want user) error {
	if err := raw.get(ctx, got.ID); err != nil {
		return fmt.Errorf("read back id %d: %w", got.ID, err)
	}
	stored := raw.got()
	want.ID = got.ID
	if !sameUser(stored, want) || !sameUser(got, want) {
		return fmt.Errorf("id %d: stored %s, client has %s, want %s", got.ID, show(stored), show(got), show(want))
	}
	return nil
}

func show(u user) string {
	email := "NULL"
	if u.Email != nil {
		email = *u.Email
	}
	return fmt.Sprintf("{%d %s %s %d %t %s}", u.ID, u.Name, email, u.Age, u.Active, u.CreatedAt.Format(time.RFC3339Nano))
}

// TestRoundTripSame runs the checks of the benchmarks on every engine: each
// library's reads return the seeded rows with the right values, and what it
// writes is what raw reads back.
func TestRoundTripSame(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := setupEngine(t, engine)
			if err := e.check(context.Background()); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %s checked", engine, strings.Join(e.names, ", "))
		})
	}
}
