package kotel_test

// BenchmarkOverhead measures what the hook costs: the same statement with
// no hook, with the hook on no-op providers (OpenTelemetry's default until
// an SDK is installed), and with the hook on the SDK recording every span
// and measurement, on SQLite, on PostgreSQL through database/sql
// (postgres) and on a pgx pool's native path (postgres-pgx):
//
//	go test -run '^$' -bench BenchmarkOverhead -benchmem -count 1 . # repeat, then benchstat
//
// <path>/<op>/interleaved runs the three alternately, op by op in random
// order, and reports the median time of each hooked one over the median
// time without a hook (noop/none, recording/none; empty/none for a hook
// that does nothing but read the arguments, the ORM's own share;
// global/none for the hook on OpenTelemetry's global providers with no SDK
// installed, which start a span that does not record): on a busy machine the
// separate runs see different load, the interleaved medians hold still.

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	kotel "github.com/kingletdb/kinglet/otel"
)

type bUser struct {
	ID      int64     `db:"id,pk"`
	Name    string    `db:"name,size:64"`
	Email   *string   `db:"email,size:128"`
	Age     int       `db:"age"`
	Active  bool      `db:"active"`
	Created time.Time `db:"created"`
}

func (bUser) TableName() string { return "kotel_bench_users" }

func newBUser(i int) bUser {
	u := bUser{Name: fmt.Sprintf("user%05d", i), Age: 20 + i%50, Active: i%2 == 0,
		Created: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)}
	if i%3 != 0 {
		e := fmt.Sprintf("user%05d@example.com", i)
		u.Email = &e
	}
	return u
}

// emptyHook does nothing: what the ORM's hook machinery costs by itself.
type emptyHook struct{}

func (emptyHook) BeforeQuery(ctx context.Context, _ *orm.QueryEvent) context.Context { return ctx }
func (emptyHook) AfterQuery(context.Context, *orm.QueryEvent)                        {}

var bID = orm.Field(func(u *bUser) *int64 { return &u.ID })

func BenchmarkOverhead(b *testing.B) {
	for _, path := range []string{testdb.SQLite, testdb.Postgres, testdb.PostgresPgx} {
		b.Run(path, func(b *testing.B) { benchOverhead(b, path) })
	}
}

// benchDB opens path's database for the benchmark: on PostgreSQL its
// sessions commit without waiting for the WAL flush, so that insert_one
// measures the client, not the disk.
func benchDB(b *testing.B, path string) *orm.DB {
	ctx := context.Background()
	tdb := testdb.Open(b, path)
	if tdb.Engine != testdb.Postgres {
		return orm.New(tdb.DB, tdb.Dialect)
	}
	dsn := tdb.DSN + "&synchronous_commit=off"
	if path == testdb.PostgresPgx {
		pool, err := pgxpool.New(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(pool.Close)
		db, err := orm.OpenPool(ctx, pool)
		if err != nil {
			b.Fatal(err)
		}
		return db
	}
	sdb, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	sdb.SetMaxOpenConns(4)
	sdb.SetMaxIdleConns(4)
	b.Cleanup(func() { sdb.Close() })
	return orm.New(sdb, tdb.Dialect)
}

func benchOverhead(b *testing.B, path string) {
	ctx := context.Background()
	db := benchDB(b, path)
	if err := db.CreateTables(ctx, &bUser{}); err != nil {
		b.Fatal(err)
	}
	seed := make([]bUser, 1000)
	for i := range seed {
		seed[i] = newBUser(i)
	}
	if err := db.InsertMany(ctx, seed); err != nil {
		b.Fatal(err)
	}

	noop := db.WithHooks(kotel.New(
		kotel.WithTracerProvider(tracenoop.NewTracerProvider()),
		kotel.WithMeterProvider(metricnoop.NewMeterProvider())))
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()),
		sdktrace.WithSpanProcessor(sdktrace.NewSimpleSpanProcessor(tracetest.NewNoopExporter())))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(ctx)
		_ = mp.Shutdown(ctx)
	})
	recording := db.WithHooks(kotel.New(kotel.WithTracerProvider(tp), kotel.WithMeterProvider(mp)))
	dbs := []struct {
		name string
		db   *orm.DB
	}{{"none", db}, {"noop", noop}, {"recording", recording}, {"empty", db.WithHooks(emptyHook{})},
		{"global", db.WithHooks(kotel.New())}}

	one := newBUser(2000)
	ops := []struct {
		name string
		run  func(db *orm.DB) error
	}{
		{"select_100", func(db *orm.DB) error {
			us, err := orm.Select[bUser](db).OrderBy(bID.Asc()).Limit(100).All(ctx)
			if err == nil && len(us) != 100 {
				err = fmt.Errorf("read %d rows, want 100", len(us))
			}
			return err
		}},
		{"insert_one", func(db *orm.DB) error {
			u := one
			return db.Insert(ctx, &u)
		}},
	}
	for _, op := range ops {
		b.Run(op.name, func(b *testing.B) {
			for _, d := range dbs {
				b.Run(d.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if err := op.run(d.db); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			b.Run("interleaved", func(b *testing.B) {
				times := make([][]time.Duration, len(dbs))
				order := []int{0, 1, 2, 3, 4}
				rng := rand.New(rand.NewPCG(1, 2)) // a fixed order would alias with periodic I/O
				for b.Loop() {
					rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
					for _, i := range order {
						start := time.Now()
						if err := op.run(dbs[i].db); err != nil {
							b.Fatal(err)
						}
						times[i] = append(times[i], time.Since(start))
					}
				}
				med := make([]float64, len(dbs))
				for i, ts := range times {
					slices.Sort(ts)
					med[i] = float64(ts[len(ts)/2])
				}
				b.ReportMetric(med[1]/med[0], "noop/none")
				b.ReportMetric(med[2]/med[0], "recording/none")
				b.ReportMetric(med[3]/med[0], "empty/none")
				b.ReportMetric(med[4]/med[0], "global/none")
			})
		})
	}
}
