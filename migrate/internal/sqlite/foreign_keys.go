package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrForeignKeyViolation is migrate.ErrForeignKeyViolation and
// ddl.ErrForeignKeyViolation (one value): rows that reference a missing
// parent after a migration or a rebuild ran with foreign keys off.
var ErrForeignKeyViolation = errors.New("kinglet: migrate: foreign key violation")

// Querier is what the checks read through: a *sql.DB, *sql.Conn or *sql.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// PragmaOn reads a boolean pragma.
func PragmaOn(ctx context.Context, q Querier, name string) (bool, error) {
	var v int
	if err := q.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v); err != nil {
		return false, fmt.Errorf("read PRAGMA %s: %w", name, err)
	}
	return v != 0, nil
}

// maxViolations is how many foreign key violations an error lists.
const maxViolations = 10

// ForeignKeyCheck runs SQLite's foreign_key_check on tables (on every table
// when none is given) and fails with an error wrapping
// ErrForeignKeyViolation that lists the rows referencing a missing parent.
func ForeignKeyCheck(ctx context.Context, q Querier, tables ...string) error {
	type violation struct {
		table, parent string
		rowid         sql.NullInt64
		fkid          int
	}
	var vs []violation
	n := 0
	check := func(query string, args ...any) error {
		return ScanRows(ctx, q, query, args, func(scan func(...any) error) error {
			var v violation
			if err := scan(&v.table, &v.rowid, &v.parent, &v.fkid); err != nil {
				return err
			}
			if n++; len(vs) < maxViolations {
				vs = append(vs, v)
			}
			return nil
		})
	}
	const cols = `SELECT "table", rowid, parent, fkid FROM pragma_foreign_key_check`
	if len(tables) == 0 {
		if err := check(cols); err != nil {
			return fmt.Errorf("kinglet: migrate: PRAGMA foreign_key_check: %w", err)
		}
	}
	seen := map[string]bool{}
	for _, t := range tables {
		if seen[strings.ToLower(t)] {
			continue
		}
		seen[strings.ToLower(t)] = true
		if err := check(cols+"(?)", t); err != nil {
			return fmt.Errorf("kinglet: migrate: PRAGMA foreign_key_check(%s): %w", t, err)
		}
	}
	if n == 0 {
		return nil
	}
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(v.table)
		if v.rowid.Valid {
			b.WriteString(" rowid " + strconv.FormatInt(v.rowid.Int64, 10))
		}
		var from []string
		_ = ScanRows(ctx, q, `SELECT "from" FROM pragma_foreign_key_list(?) WHERE id = ? ORDER BY seq`, []any{v.table, v.fkid},
			func(scan func(...any) error) error {
				var c string
				if err := scan(&c); err == nil {
					from = append(from, c)
				}
				return nil
			})
		if len(from) > 0 {
			b.WriteString(" (" + strings.Join(from, ", ") + ")")
		}
		b.WriteString(" references a missing row of " + v.parent)
	}
	if n > len(vs) {
		fmt.Fprintf(&b, "; and %d more", n-len(vs))
	}
	return fmt.Errorf("%w: %d row(s): %s", ErrForeignKeyViolation, n, b.String())
}

// ScanRows runs query and calls fn for each row, which scans it.
func ScanRows(ctx context.Context, q Querier, query string, args []any, fn func(scan func(dest ...any) error) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}
