package orm_test

// BenchmarkORM measures kinglet against hand-written database/sql on the same
// pool, in one run, per engine: BenchmarkORM/<engine>/<op>/{raw,kinglet}
// do the same work with the same SQL shape (RETURNING where kinglet uses it,
// a bound LIMIT), and <op>/interleaved runs the two alternately for the
// kinglet/raw time ratio. The table of ratios:
//
//	go test -run '^$' -bench BenchmarkORM -benchmem -benchtime 2s -count 3 ./orm/ | bash bench/ormratio.sh
//
// The targets (DESIGN.md, performance principles): kinglet's time at most
// 1.05x raw, and no more allocations per operation than raw. PostgreSQL runs
// with synchronous_commit off for the benchmark's own sessions; MariaDB's
// writes include the log flush.

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
)

type benchUser struct {
	ID      int64     `db:"id,pk"`
	Name    string    `db:"name,size:64"`
	Email   *string   `db:"email,size:128"`
	Age     int       `db:"age"`
	Active  bool      `db:"active"`
	Created time.Time `db:"created"`
}

func (benchUser) TableName() string { return "bench_users" }

const (
	benchSeed  = 1000 // rows seeded before the benchmarks
	benchBatch = 100  // rows of insert_100 and select_100
)

var benchCreated = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

func newBenchUser(i int) benchUser {
	u := benchUser{Name: fmt.Sprintf("user%05d", i), Age: 20 + i%50, Active: i%2 == 0, Created: benchCreated}
	if i%3 != 0 {
		e := fmt.Sprintf("user%05d@example.com", i)
		u.Email = &e
	}
	return u
}

// rawSQL holds the hand-written statements: the same shape kinglet emits
// (RETURNING where kinglet uses it), written once, as a careful programmer
// would.
type rawSQL struct {
	insertOne, insertBatch, update, get, list string
	returning                                 bool
}

func newRawSQL(d dialect.Dialect) rawSQL {
	ph := func(n int) string { return string(d.AppendPlaceholder(nil, n)) }
	const cols = "name, email, age, active, created"
	var r rawSQL
	r.returning = d.Has(dialect.InsertReturning)
	ret := ""
	if r.returning {
		ret = " RETURNING id"
	}
	row := func(first int) string {
		return "(" + ph(first) + ", " + ph(first+1) + ", " + ph(first+2) + ", " + ph(first+3) + ", " + ph(first+4) + ")"
	}
	r.insertOne = "INSERT INTO bench_users (" + cols + ") VALUES " + row(1) + ret
	var b strings.Builder
	b.WriteString("INSERT INTO bench_users (" + cols + ") VALUES ")
	for i := range benchBatch {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row(5*i + 1))
	}
	b.WriteString(ret)
	r.insertBatch = b.String()
	r.update = "UPDATE bench_users SET name = " + ph(1) + ", email = " + ph(2) + ", age = " + ph(3) +
		", active = " + ph(4) + ", created = " + ph(5) + " WHERE id = " + ph(6)
	r.get = "SELECT id, " + cols + " FROM bench_users WHERE id = " + ph(1)
	// LIMIT is a bound parameter, as kinglet binds it. (A literal LIMIT would
	// let go-sql-driver send the query as text, without its prepare and close
	// round trips: about 25% faster on MariaDB, and slower on pgx.)
	r.list = "SELECT id, " + cols + " FROM bench_users ORDER BY id LIMIT " + ph(1)
	return r
}

func (r rawSQL) insertUser(ctx context.Context, db *sql.DB, u *benchUser) error {
	if r.returning {
		return db.QueryRowContext(ctx, r.insertOne, u.Name, u.Email, u.Age, u.Active, u.Created).Scan(&u.ID)
	}
	res, err := db.ExecContext(ctx, r.insertOne, u.Name, u.Email, u.Age, u.Active, u.Created)
	if err != nil {
		return err
	}
	u.ID, err = res.LastInsertId()
	return err
}

// insertUserTx is insertUser in a transaction.
func (r rawSQL) insertUserTx(ctx context.Context, tx *sql.Tx, u *benchUser) error {
	if r.returning {
		return tx.QueryRowContext(ctx, r.insertOne, u.Name, u.Email, u.Age, u.Active, u.Created).Scan(&u.ID)
	}
	res, err := tx.ExecContext(ctx, r.insertOne, u.Name, u.Email, u.Age, u.Active, u.Created)
	if err != nil {
		return err
	}
	u.ID, err = res.LastInsertId()
	return err
}

func (r rawSQL) insertUsers(ctx context.Context, db *sql.DB, us []benchUser) error {
	args := make([]any, 0, 5*len(us))
	for i := range us {
		u := &us[i]
		args = append(args, u.Name, u.Email, u.Age, u.Active, u.Created)
	}
	if !r.returning {
		res, err := db.ExecContext(ctx, r.insertBatch, args...)
		if err != nil {
			return err
		}
		first, err := res.LastInsertId()
		for i := range us {
			us[i].ID = first + int64(i)
		}
		return err
	}
	rows, err := db.QueryContext(ctx, r.insertBatch, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		if err := rows.Scan(&us[i].ID); err != nil {
			return err
		}
		i++
	}
	return rows.Err()
}

func (r rawSQL) updateUser(ctx context.Context, db *sql.DB, u *benchUser) error {
	res, err := db.ExecContext(ctx, r.update, u.Name, u.Email, u.Age, u.Active, u.Created, u.ID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("update: %d rows, %v", n, err)
	}
	return nil
}

func (r rawSQL) getUser(ctx context.Context, db *sql.DB, id int64) (benchUser, error) {
	var u benchUser
	err := db.QueryRowContext(ctx, r.get, id).Scan(&u.ID, &u.Name, &u.Email, &u.Age, &u.Active, &u.Created)
	return u, err
}

func (r rawSQL) listUsers(ctx context.Context, db *sql.DB) ([]benchUser, error) {
	rows, err := db.QueryContext(ctx, r.list, benchBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]benchUser, 0, benchBatch)
	for rows.Next() {
		var u benchUser
		if err := rows.Scan(&u.ID, &u.Name, &u.Email, &u.Age, &u.Active, &u.Created); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

var (
	benchID = orm.Field(func(u *benchUser) *int64 { return &u.ID })
	ageSeq  atomic.Int64 // a new age for every update, so each one changes its row
)

func BenchmarkORM(b *testing.B) {
	for _, engine := range testdb.Engines() {
		b.Run(engine, func(b *testing.B) {
			benchEngine(b, engine)
		})
	}
}

func benchEngine(b *testing.B, engine string) {
	ctx := context.Background()
	tdb := testdb.Open(b, engine)
	sdb := tdb.DB
	if engine == testdb.Postgres {
		// Commit without waiting for the WAL flush (this session only), so
		// that the write benchmarks measure the client, not the disk.
		// MariaDB's equivalent (innodb_flush_log_at_trx_commit) is global
		// only, so its writes include the flush.
		var err error
		if sdb, err = sql.Open(tdb.DriverName(), tdb.DSN+"&synchronous_commit=off"); err != nil {
			b.Fatal(err)
		}
		sdb.SetMaxOpenConns(4)
		sdb.SetMaxIdleConns(4)
		b.Cleanup(func() { sdb.Close() })
		var sc string
		if err := sdb.QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&sc); err != nil || sc != "off" {
			b.Fatalf("synchronous_commit = %q, %v", sc, err)
		}
	}
	db := orm.New(sdb, tdb.Dialect)
	if err := db.CreateTables(ctx, &benchUser{}); err != nil {
		b.Fatal(err)
	}
	seed := make([]benchUser, benchSeed)
	for i := range seed {
		seed[i] = newBenchUser(i)
	}
	if err := db.InsertMany(ctx, seed); err != nil {
		b.Fatal(err)
	}
	raw := newRawSQL(tdb.Dialect)
	checkSame(b, ctx, db, raw)

	one := newBenchUser(benchSeed + 1)
	batch := make([]benchUser, benchBatch)
	for i := range batch {
		batch[i] = newBenchUser(benchSeed + 2 + i)
	}
	target := seed[benchSeed/2] // the row update_one rewrites

	fail := func(n int, err error) error {
		if err == nil && n != benchBatch {
			err = fmt.Errorf("read %d rows, want %d", n, benchBatch)
		}
		return err
	}
	pair(b, "insert_one",
		func(int) error {
			u := one
			return raw.insertUser(ctx, sdb, &u)
		},
		func(int) error {
			u := one
			return db.Insert(ctx, &u)
		})
	pair(b, "insert_100",
		func(int) error {
			for i := range batch {
				batch[i].ID = 0
			}
			return raw.insertUsers(ctx, sdb, batch)
		},
		func(int) error {
			for i := range batch {
				batch[i].ID = 0
			}
			return db.InsertMany(ctx, batch)
		})
	// Ten rows inserted one by one in a transaction: kinglet keeps each
	// statement prepared for the transaction where the dialect keeps them.
	pair(b, "tx_insert_10",
		func(int) error {
			tx, err := sdb.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			for i := range 10 {
				u := batch[i]
				if err := raw.insertUserTx(ctx, tx, &u); err != nil {
					tx.Rollback()
					return err
				}
			}
			return tx.Commit()
		},
		func(int) error {
			return db.Tx(ctx, func(tx *orm.Tx) error {
				for i := range 10 {
					u := batch[i]
					u.ID = 0
					if err := tx.Insert(ctx, &u); err != nil {
						return err
					}
				}
				return nil
			})
		})
	ru, ku := target, target
	pair(b, "update_one",
		func(int) error {
			ru.Age = int(ageSeq.Add(1))
			return raw.updateUser(ctx, sdb, &ru)
		},
		func(int) error {
			ku.Age = int(ageSeq.Add(1))
			return db.Update(ctx, &ku)
		})
	pair(b, "get_pk",
		func(i int) error {
			_, err := raw.getUser(ctx, sdb, seed[i%benchSeed].ID)
			return err
		},
		func(i int) error {
			_, err := orm.Get[benchUser](ctx, db, seed[i%benchSeed].ID)
			return err
		})
	pair(b, "select_100",
		func(int) error {
			us, err := raw.listUsers(ctx, sdb)
			return fail(len(us), err)
		},
		func(int) error {
			us, err := orm.Select[benchUser](db).OrderBy(benchID.Asc()).Limit(benchBatch).All(ctx)
			return fail(len(us), err)
		})
	// Streaming the same rows with Iter, under a context that can end (the
	// case where Iter watches it).
	ictx, cancel := context.WithCancel(ctx)
	b.Cleanup(cancel)
	pair(b, "iter_100",
		func(int) error {
			us, err := raw.listUsers(ctx, sdb)
			return fail(len(us), err)
		},
		func(int) error { return iterUsers(ictx, db, fail) })
	if engine != testdb.Postgres {
		return
	}
	// The same reads on a DB over a pgx pool (OpenPool), against the same
	// raw database/sql baseline.
	pool, err := pgxpool.New(ctx, tdb.DSN)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	pdb, err := orm.OpenPool(ctx, pool)
	if err != nil {
		b.Fatal(err)
	}
	pair(b, "get_pk_pgxpool",
		func(i int) error {
			_, err := raw.getUser(ctx, sdb, seed[i%benchSeed].ID)
			return err
		},
		func(i int) error {
			_, err := orm.Get[benchUser](ctx, pdb, seed[i%benchSeed].ID)
			return err
		})
	// Not kinglet: the floor under select_100_pgxpool. Its "kinglet" side
	// runs the same statement on the pgx pool in the same result formats
	// and reads the rows without decoding them, the least any client does.
	// Its ratio to raw is the best a pgx-based ORM could reach on this
	// machine, however fast its decoding.
	// Built once: the floor does no work of an ORM's own.
	floorSQL, floorArgs, err := orm.Select[benchUser](pdb).OrderBy(benchID.Asc()).Limit(benchBatch).Build()
	if err != nil {
		b.Fatal(err)
	}
	floorArgs = append([]any{pgx.QueryResultFormats{1, 0, 0, 1, 1, 1}}, floorArgs...)
	pair(b, "select_100_floor",
		func(int) error {
			us, err := raw.listUsers(ctx, sdb)
			return fail(len(us), err)
		},
		func(int) error {
			rows, err := pool.Query(ctx, floorSQL, floorArgs...)
			if err != nil {
				return err
			}
			n := 0
			for rows.Next() {
				_ = rows.RawValues()
				n++
			}
			rows.Close()
			return fail(n, rows.Err())
		})
	pair(b, "iter_100_pgxpool",
		func(int) error {
			us, err := raw.listUsers(ctx, sdb)
			return fail(len(us), err)
		},
		func(int) error { return iterUsers(ictx, pdb, fail) })
	pair(b, "select_100_pgxpool",
		func(int) error {
			us, err := raw.listUsers(ctx, sdb)
			return fail(len(us), err)
		},
		func(int) error {
			us, err := orm.Select[benchUser](pdb).OrderBy(benchID.Asc()).Limit(benchBatch).All(ctx)
			return fail(len(us), err)
		})
	// The same reads on the DB orm.Open makes of the URL: its default path.
	odb, err := orm.Open(ctx, tdb.URL())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { odb.Close() })
	pair(b, "get_pk_open",
		func(i int) error {
			_, err := raw.getUser(ctx, sdb, seed[i%benchSeed].ID)
			return err
		},
		func(i int) error {
			_, err := orm.Get[benchUser](ctx, odb, seed[i%benchSeed].ID)
			return err
		})
	pair(b, "select_100_open",
		func(int) error {
			us, err := raw.listUsers(ctx, sdb)
			return fail(len(us), err)
		},
		func(int) error {
			us, err := orm.Select[benchUser](odb).OrderBy(benchID.Asc()).Limit(benchBatch).All(ctx)
			return fail(len(us), err)
		})
}

// iterUsers reads the first benchBatch users with Iter.
func iterUsers(ctx context.Context, db *orm.DB, fail func(int, error) error) error {
	n := 0
	for _, err := range orm.Select[benchUser](db).OrderBy(benchID.Asc()).Limit(benchBatch).Iter(ctx) {
		if err != nil {
			return err
		}
		n++
	}
	return fail(n, nil)
}

// pair benchmarks one operation: raw and kinglet each on their own (ns/op,
// B/op, allocs/op), then both interleaved op by op in random order, reporting
// the median kinglet time over the median raw time as the kinglet/raw
// metric. On a busy machine the separate runs see different load, and write
// times have a long tail (fsync, WAL checkpoints) that swamps their means;
// the interleaved medians hold still: raw against itself measures 1.00±0.01.
func pair(b *testing.B, op string, raw, kinglet func(i int) error) {
	loop := func(f func(int) error) func(b *testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := f(i); err != nil {
					b.Fatal(err)
				}
				i++
			}
		}
	}
	b.Run(op, func(b *testing.B) {
		b.Run("raw", loop(raw))
		b.Run("kinglet", loop(kinglet))
		b.Run("interleaved", func(b *testing.B) {
			var tr, tk []time.Duration
			rng := rand.New(rand.NewPCG(1, 2)) // a fixed order would alias with periodic I/O
			i := 0
			for b.Loop() {
				first, second, t1, t2 := raw, kinglet, &tr, &tk
				if rng.IntN(2) == 1 {
					first, second, t1, t2 = kinglet, raw, &tk, &tr
				}
				start := time.Now()
				if err := first(i); err != nil {
					b.Fatal(err)
				}
				mid := time.Now()
				if err := second(i); err != nil {
					b.Fatal(err)
				}
				*t1 = append(*t1, mid.Sub(start))
				*t2 = append(*t2, time.Since(mid))
				i++
			}
			slices.Sort(tr)
			slices.Sort(tk)
			b.ReportMetric(float64(tk[len(tk)/2])/float64(tr[len(tr)/2]), "kinglet/raw")
		})
	})
}

// checkSame makes sure the raw statements and kinglet read and write the
// same thing, so the benchmark compares equal work.
func checkSame(b *testing.B, ctx context.Context, db *orm.DB, raw rawSQL) {
	b.Helper()
	sdb := db.SQL()
	u := newBenchUser(7)
	if err := raw.insertUser(ctx, sdb, &u); err != nil {
		b.Fatal(err)
	}
	got, err := orm.Get[benchUser](ctx, db, u.ID)
	if err != nil {
		b.Fatal(err)
	}
	want, err := raw.getUser(ctx, sdb, u.ID)
	if err != nil {
		b.Fatal(err)
	}
	if !sameUser(got, want) || !sameUser(got, u) {
		b.Fatalf("kinglet Get %+v, raw get %+v, inserted %+v", got, want, u)
	}
	rawList, err := raw.listUsers(ctx, sdb)
	if err != nil {
		b.Fatal(err)
	}
	list, err := orm.Select[benchUser](db).OrderBy(benchID.Asc()).Limit(benchBatch).All(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if len(list) != len(rawList) {
		b.Fatalf("kinglet select %d rows, raw %d", len(list), len(rawList))
	}
	for i := range list {
		if !sameUser(list[i], rawList[i]) {
			b.Fatalf("row %d: kinglet %+v, raw %+v", i, list[i], rawList[i])
		}
	}
	if _, err := orm.Delete[benchUser](db).Where(benchID.Eq(u.ID)).Exec(ctx); err != nil {
		b.Fatal(err)
	}
}

func sameUser(a, b benchUser) bool {
	sameEmail := (a.Email == nil) == (b.Email == nil) && (a.Email == nil || *a.Email == *b.Email)
	return a.ID == b.ID && a.Name == b.Name && sameEmail && a.Age == b.Age && a.Active == b.Active &&
		a.Created.Equal(b.Created)
}
