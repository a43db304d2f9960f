package kotel_test

import (
	"context"
	"fmt"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/kingletdb/kinglet/orm"
	kotel "github.com/kingletdb/kinglet/otel"
)

type Tweet struct {
	ID      int64  `db:"id,pk"`
	Content string `db:"content"`
}

// A DB with the hook: one span per statement, transactions and savepoints
// as parents of their statements' spans. Here the spans go to an
// in-memory recorder; in a program, to the SDK's exporter of your choice
// (or leave WithTracerProvider out to use the global provider).
func Example() {
	ctx := context.Background()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	defer tp.Shutdown(ctx)

	db, err := orm.Open(ctx, "sqlite::memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db = db.WithHooks(kotel.New(kotel.WithTracerProvider(tp)))

	_ = db.CreateTables(ctx, &Tweet{})
	_ = db.Insert(ctx, &Tweet{Content: "hello"})
	_, _ = orm.Select[Tweet](db).All(ctx)
	_ = db.Tx(ctx, func(tx *orm.Tx) error {
		return tx.Tx(ctx, func(sp *orm.Tx) error { return sp.Insert(ctx, &Tweet{Content: "again"}) })
	})

	for _, s := range spans.Ended() {
		parent := ""
		for _, p := range spans.Ended() {
			if p.SpanContext().SpanID() == s.Parent().SpanID() {
				parent = " (in " + p.Name() + ")"
			}
		}
		fmt.Println(s.Name() + parent)
	}
	sel := spans.Ended()[2]
	for _, kv := range sel.Attributes() {
		fmt.Printf("  %s = %s\n", kv.Key, kv.Value.Emit())
	}
	// Output:
	// CREATE TABLE
	// INSERT tweets
	// SELECT tweets
	// SAVEPOINT (in savepoint)
	// INSERT tweets (in savepoint)
	// RELEASE SAVEPOINT (in savepoint)
	// savepoint (in transaction)
	// transaction
	//   db.system.name = sqlite
	//   db.operation.name = SELECT
	//   db.query.summary = SELECT tweets
	//   db.collection.name = tweets
	//   db.query.text = SELECT "id", "content" FROM "tweets"
	//   db.response.returned_rows = 1
}
