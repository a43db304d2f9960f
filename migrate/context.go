package migrate

import (
	"context"

	"github.com/kingletdb/kinglet/dialect"
)

// dialectKey is the context key under which the runner passes its dialect
// to Go migrations.
type dialectKey struct{}

// withDialect returns ctx carrying d for DialectFrom.
func withDialect(ctx context.Context, d dialect.Dialect) context.Context {
	return context.WithValue(ctx, dialectKey{}, d)
}

// DialectFrom returns the dialect of the runner that is running the Go
// migration whose context is ctx, so that the migration can call ddl.Apply
// without knowing the engine:
//
//	Up: func(ctx context.Context, tx migrate.Execer) error {
//		return ddl.Apply(ctx, tx, migrate.DialectFrom(ctx), ddl.AddColumn{…})
//	}
//
// It returns nil outside a runner.
func DialectFrom(ctx context.Context) dialect.Dialect {
	d, _ := ctx.Value(dialectKey{}).(dialect.Dialect)
	return d
}
