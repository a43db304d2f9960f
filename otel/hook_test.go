package kotel_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	kotel "github.com/kingletdb/kinglet/otel"
	"github.com/kingletdb/kinglet/query"
)

type tUser struct {
	ID   int64  `db:"id,pk"`
	Name string `db:"name,unique,size:40"`
	Age  int    `db:"age"`
}

func (tUser) TableName() string { return "kotel_users" }

// ormDB wraps tdb in an orm.DB: over its pgx pool (OpenPool, kinglet's
// native path) on the postgres-pgx path, else over its *sql.DB.
func ormDB(t testing.TB, tdb *testdb.DB) *orm.DB {
	t.Helper()
	if tdb.Pool == nil {
		return orm.New(tdb.DB, tdb.Dialect)
	}
	db, err := orm.OpenPool(context.Background(), tdb.Pool)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// telemetry is an SDK tracer provider recording spans in memory, and a
// meter provider read by hand.
type telemetry struct {
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
}

func newTelemetry(t testing.TB) *telemetry {
	tel := &telemetry{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	tel.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(tel.spans))
	tel.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(tel.reader))
	t.Cleanup(func() {
		_ = tel.tp.Shutdown(context.Background())
		_ = tel.mp.Shutdown(context.Background())
	})
	return tel
}

func (tel *telemetry) hook(opts ...kotel.Option) *kotel.Hook {
	return kotel.New(append([]kotel.Option{kotel.WithTracerProvider(tel.tp), kotel.WithMeterProvider(tel.mp)}, opts...)...)
}

// ended returns the spans ended since the last call.
func (tel *telemetry) ended() []sdktrace.ReadOnlySpan {
	s := tel.spans.Ended()
	tel.spans.Reset()
	return s
}

func attrsOf(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

func names(spans []sdktrace.ReadOnlySpan) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = s.Name()
	}
	return out
}

// system is the db.system.name kotel reports for a test database.
func system(tdb *testdb.DB) string {
	switch tdb.Dialect.Name() {
	case "postgres":
		return "postgresql"
	default:
		return tdb.Dialect.Name()
	}
}

// uniqueCode is the driver's code of a unique violation on each engine.
func uniqueCode(tdb *testdb.DB) string {
	switch tdb.Engine {
	case testdb.Postgres:
		return "23505"
	case testdb.MySQL:
		return "1062"
	}
	return "2067"
}

// TestSpans: one client span per statement, named and described by the
// conventions for database client spans, on every engine and on the pgx
// pool's native path, as children of the caller's span; a failure has
// status Error and its class as error.type.
func TestSpans(t *testing.T) {
	testdb.EachPath(t, func(t *testing.T, tdb *testdb.DB) {
		db := ormDB(t, tdb)
		ctx := t.Context()
		require.NoError(t, db.CreateTables(ctx, &tUser{}))
		tel := newTelemetry(t)
		hdb := db.WithHooks(tel.hook())
		ctx, req := tel.tp.Tracer("test").Start(ctx, "request")

		secret := "alice-secret-name"
		u := &tUser{Name: secret, Age: 30}
		require.NoError(t, hdb.Insert(ctx, u))
		require.NoError(t, hdb.Insert(ctx, &tUser{Name: "bob", Age: 40}))
		got, err := orm.Select[tUser](hdb).OrderBy(query.C("id")).All(ctx)
		require.NoError(t, err)
		require.Len(t, got, 2)
		u.Age = 31
		require.NoError(t, hdb.Update(ctx, u))
		_, err = hdb.ExecContext(ctx, "UPDATE kotel_users SET age = age")
		require.NoError(t, err)
		err = hdb.Insert(ctx, &tUser{Name: "bob"})
		require.ErrorIs(t, err, orm.ErrUniqueViolation)
		req.End()

		spans := tel.ended()
		require.Equal(t, []string{"INSERT kotel_users", "INSERT kotel_users", "SELECT kotel_users", "UPDATE kotel_users",
			system(tdb), "INSERT kotel_users", "request"}, names(spans))
		for _, s := range spans[:6] {
			assert.Equal(t, trace.SpanKindClient, s.SpanKind(), s.Name())
			assert.Equal(t, req.SpanContext().SpanID(), s.Parent().SpanID(), "%s: a child of the caller's span", s.Name())
			assert.Equal(t, kotel.ScopeName, s.InstrumentationScope().Name)
			a := attrsOf(s)
			assert.Equal(t, system(tdb), a["db.system.name"].AsString(), s.Name())
			assert.NotContains(t, a["db.query.text"].AsString(), secret, "values are never in the text")
			assert.NotContains(t, a["db.query.text"].AsString(), "31")
		}
		ins := attrsOf(spans[0])
		assert.Equal(t, "INSERT", ins["db.operation.name"].AsString())
		assert.Equal(t, "kotel_users", ins["db.collection.name"].AsString())
		assert.Equal(t, "INSERT kotel_users", ins["db.query.summary"].AsString())
		assert.True(t, strings.HasPrefix(ins["db.query.text"].AsString(), "INSERT INTO"), ins["db.query.text"].AsString())
		assert.Equal(t, codes.Unset, spans[0].Status().Code)

		sel := attrsOf(spans[2])
		assert.EqualValues(t, 2, sel["db.response.returned_rows"].AsInt64(), "the rows the query returned")
		assert.EqualValues(t, 1, attrsOf(spans[3])["kinglet.rows_affected"].AsInt64())

		raw := attrsOf(spans[4])
		assert.NotContains(t, raw, attribute.Key("db.operation.name"), "SQL text is not parsed")
		assert.NotContains(t, raw, attribute.Key("db.collection.name"))
		assert.Equal(t, "UPDATE kotel_users SET age = age", raw["db.query.text"].AsString())

		fail := spans[5]
		assert.Equal(t, codes.Error, fail.Status().Code)
		assert.Contains(t, fail.Status().Description, "unique violation")
		assert.Equal(t, "unique_violation", attrsOf(fail)["error.type"].AsString())
		assert.Equal(t, uniqueCode(tdb), attrsOf(fail)["db.response.status_code"].AsString())
	})
}

// TestTransactionSpans: a transaction's span is the parent of its
// statements', a savepoint's the parent of its own, and a rolled-back
// savepoint or transaction has status Error.
func TestTransactionSpans(t *testing.T) {
	testdb.EachPath(t, func(t *testing.T, tdb *testdb.DB) {
		db := ormDB(t, tdb)
		ctx := t.Context()
		require.NoError(t, db.CreateTables(ctx, &tUser{}))
		tel := newTelemetry(t)
		hdb := db.WithHooks(tel.hook())
		ctx, req := tel.tp.Tracer("test").Start(ctx, "request")

		require.NoError(t, hdb.Tx(ctx, func(tx *orm.Tx) error {
			if err := tx.Insert(ctx, &tUser{Name: "a"}); err != nil {
				return err
			}
			if err := tx.Tx(ctx, func(sp *orm.Tx) error { return sp.Insert(ctx, &tUser{Name: "b"}) }); err != nil {
				return err
			}
			err := tx.Tx(ctx, func(sp *orm.Tx) error { return sp.Insert(ctx, &tUser{Name: "a"}) })
			require.ErrorIs(t, err, orm.ErrUniqueViolation)
			// A span of the caller's inside the transaction stays the
			// parent of what runs under it.
			inner, own := tel.tp.Tracer("test").Start(ctx, "own work")
			_, err = orm.Select[tUser](tx).Count(inner)
			own.End()
			return err
		}))
		err := hdb.Tx(ctx, func(tx *orm.Tx) error { return tx.Insert(ctx, &tUser{Name: "a"}) })
		require.ErrorIs(t, err, orm.ErrUniqueViolation)
		req.End()

		spans := tel.ended()
		byName := map[string][]sdktrace.ReadOnlySpan{}
		for _, s := range spans {
			byName[s.Name()] = append(byName[s.Name()], s)
		}
		require.Len(t, byName["transaction"], 2, "%q", names(spans))
		require.Len(t, byName["savepoint"], 2, "%q", names(spans))
		tx, failedTx := byName["transaction"][0], byName["transaction"][1]
		sp1, sp2 := byName["savepoint"][0], byName["savepoint"][1]
		id := func(s sdktrace.ReadOnlySpan) trace.SpanID { return s.SpanContext().SpanID() }
		assert.Equal(t, req.SpanContext().SpanID(), tx.Parent().SpanID(), "the transaction is the caller's child")
		assert.Equal(t, id(tx), sp1.Parent().SpanID())
		assert.Equal(t, id(tx), sp2.Parent().SpanID())
		assert.Equal(t, system(tdb), attrsOf(tx)["db.system.name"].AsString())
		assert.True(t, attrsOf(tx)["kinglet.transaction.committed"].AsBool())
		assert.Equal(t, codes.Unset, tx.Status().Code)
		assert.Equal(t, codes.Unset, sp1.Status().Code)
		assert.Equal(t, codes.Error, sp2.Status().Code, "rolled back to the savepoint")
		assert.Equal(t, "unique_violation", attrsOf(sp2)["error.type"].AsString())
		assert.Equal(t, codes.Error, failedTx.Status().Code)
		assert.False(t, attrsOf(failedTx)["kinglet.transaction.committed"].AsBool())

		var parents []string
		spanName := map[trace.SpanID]string{}
		for _, s := range spans {
			spanName[id(s)] = s.Name()
		}
		for _, s := range spans {
			if s.SpanKind() == trace.SpanKindClient && s.Name() != "transaction" && s.Name() != "savepoint" {
				p := spanName[s.Parent().SpanID()]
				if s.Parent().SpanID() == id(sp1) {
					p = "savepoint 1"
				} else if s.Parent().SpanID() == id(sp2) {
					p = "savepoint 2"
				} else if s.Parent().SpanID() == id(failedTx) {
					p = "failed transaction"
				}
				parents = append(parents, s.Name()+" < "+p)
			}
		}
		assert.Equal(t, []string{
			"INSERT kotel_users < transaction",
			"SAVEPOINT < savepoint 1", "INSERT kotel_users < savepoint 1", "RELEASE SAVEPOINT < savepoint 1",
			"SAVEPOINT < savepoint 2", "INSERT kotel_users < savepoint 2", "ROLLBACK TO SAVEPOINT < savepoint 2",
			"SELECT kotel_users < own work",
			"INSERT kotel_users < failed transaction",
		}, parents)
	})
}

// TestInsertManySpans: the transaction of an InsertMany of several
// statements is the parent of its statements.
func TestInsertManySpans(t *testing.T) {
	testdb.EachPath(t, func(t *testing.T, tdb *testdb.DB) {
		db := ormDB(t, tdb)
		ctx := t.Context()
		require.NoError(t, db.CreateTables(ctx, &tUser{}))
		tel := newTelemetry(t)
		hdb := db.WithHooks(tel.hook())
		// A zero key and a set one: two statements, in one transaction.
		err := hdb.InsertMany(ctx, []tUser{{Name: "a"}, {Name: "b"}, {ID: 100, Name: "c"}})
		require.NoError(t, err)
		spans := tel.ended()
		require.Equal(t, []string{"INSERT kotel_users", "INSERT kotel_users", "transaction"}, names(spans))
		for _, s := range spans[:2] {
			assert.Equal(t, spans[2].SpanContext().SpanID(), s.Parent().SpanID())
		}
	})
}

// TestDurationMetric: db.client.operation.duration, in seconds with the
// conventions' buckets, one measurement per statement, by system,
// operation, table and error type.
func TestDurationMetric(t *testing.T) {
	testdb.EachPath(t, func(t *testing.T, tdb *testdb.DB) {
		db := ormDB(t, tdb)
		ctx := t.Context()
		require.NoError(t, db.CreateTables(ctx, &tUser{}))
		tel := newTelemetry(t)
		hdb := db.WithHooks(tel.hook(kotel.WithAttributes(attribute.String("db.namespace", "test"))))
		for _, name := range []string{"a", "b", "c"} {
			require.NoError(t, hdb.Insert(ctx, &tUser{Name: name}))
		}
		_, err := orm.Select[tUser](hdb).All(ctx)
		require.NoError(t, err)
		require.Error(t, hdb.Insert(ctx, &tUser{Name: "a"}))

		var rm metricdata.ResourceMetrics
		require.NoError(t, tel.reader.Collect(ctx, &rm))
		require.Len(t, rm.ScopeMetrics, 1)
		require.Len(t, rm.ScopeMetrics[0].Metrics, 1)
		m := rm.ScopeMetrics[0].Metrics[0]
		assert.Equal(t, "db.client.operation.duration", m.Name)
		assert.Equal(t, "s", m.Unit)
		h, ok := m.Data.(metricdata.Histogram[float64])
		require.True(t, ok, "%T", m.Data)
		counts := map[string]uint64{}
		for _, dp := range h.DataPoints {
			assert.Equal(t, []float64{0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10}, dp.Bounds)
			sys, _ := dp.Attributes.Value("db.system.name")
			assert.Equal(t, system(tdb), sys.AsString())
			ns, _ := dp.Attributes.Value("db.namespace")
			assert.Equal(t, "test", ns.AsString(), "WithAttributes")
			_, hasText := dp.Attributes.Value("db.query.text")
			assert.False(t, hasText, "the query text is not a metric attribute")
			op, _ := dp.Attributes.Value("db.operation.name")
			table, _ := dp.Attributes.Value("db.collection.name")
			et, _ := dp.Attributes.Value("error.type")
			counts[op.AsString()+" "+table.AsString()+" "+et.AsString()] += dp.Count
			assert.Positive(t, dp.Sum)
		}
		assert.Equal(t, map[string]uint64{
			"INSERT kotel_users ":                 3,
			"SELECT kotel_users ":                 1,
			"INSERT kotel_users unique_violation": 1,
		}, counts)
	})
}

// TestWithoutQueryText leaves the SQL out.
func TestWithoutQueryText(t *testing.T) {
	tdb := testdb.Open(t, testdb.SQLite)
	db := orm.New(tdb.DB, tdb.Dialect)
	tel := newTelemetry(t)
	hdb := db.WithHooks(tel.hook(kotel.WithoutQueryText()))
	require.NoError(t, hdb.CreateTables(t.Context(), &tUser{}))
	spans := tel.ended()
	require.NotEmpty(t, spans)
	assert.Equal(t, "CREATE TABLE", spans[0].Name())
	assert.NotContains(t, attrsOf(spans[0]), attribute.Key("db.query.text"))
}

// TestNoopProviders: with no-op providers the hook records nothing and the
// statements run as without it.
func TestNoopProviders(t *testing.T) {
	tdb := testdb.Open(t, testdb.SQLite)
	hdb := orm.New(tdb.DB, tdb.Dialect).WithHooks(kotel.New(
		kotel.WithTracerProvider(tracenoop.NewTracerProvider()),
		kotel.WithMeterProvider(metricnoop.NewMeterProvider())))
	ctx := t.Context()
	require.NoError(t, hdb.CreateTables(ctx, &tUser{}))
	require.NoError(t, hdb.Tx(ctx, func(tx *orm.Tx) error {
		return tx.Tx(ctx, func(sp *orm.Tx) error { return sp.Insert(ctx, &tUser{Name: "x"}) })
	}))
	n, err := orm.Select[tUser](hdb).Count(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
}
