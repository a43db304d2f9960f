package ddl

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/kingletdb/kinglet/migrate/internal/sqlite"
)

// savepoint names the SAVEPOINT around a rebuild (which starts a
// transaction when none is open).
const savepoint = "kinglet_rebuild"

// rebuild runs a SQLite table rebuild; see Apply.
func (a *applier) rebuild(ctx context.Context, op Op, rb *rebuildPlan) (err error) {
	fkOn, err := sqlite.PragmaOn(ctx, a.q, "foreign_keys")
	if err != nil {
		return &OpError{Op: op, Err: err}
	}
	checkFKs := false
	if fkOn {
		if err := a.exec(ctx, op, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		if still, err := sqlite.PragmaOn(ctx, a.q, "foreign_keys"); err != nil {
			return &OpError{Op: op, Err: err}
		} else if still {
			// Inside a transaction, where the pragma does nothing.
			refs, err := referencingTables(ctx, a.q, rb.table)
			if err != nil {
				return &OpError{Op: op, Err: err}
			}
			if len(refs) > 0 {
				return &OpError{Op: op, Err: fmt.Errorf("%w: the change rebuilds table %s (SQLite cannot make it in place), and dropping the old table with foreign keys on would delete the rows of %s that reference it; PRAGMA foreign_keys cannot change inside a transaction: run it outside one, or in a migration (the runner turns foreign keys off)",
					ErrForeignKeysOn, rb.table, strings.Join(refs, ", "))}
			}
		} else {
			checkFKs = true
			defer func() {
				if _, rerr := a.q.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON"); rerr != nil {
					a.broken = true
					err = errors.Join(err, &OpError{Op: op, SQL: "PRAGMA foreign_keys = ON", Err: rerr})
				}
			}()
		}
	}
	legacy, err := sqlite.PragmaOn(ctx, a.q, "legacy_alter_table")
	if err != nil {
		return &OpError{Op: op, Err: err}
	}
	if err := a.exec(ctx, op, "SAVEPOINT "+savepoint); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			bg := context.WithoutCancel(ctx)
			for _, s := range []string{"ROLLBACK TO " + savepoint, "RELEASE " + savepoint} {
				if _, rerr := a.q.ExecContext(bg, s); rerr != nil {
					a.broken = true
					err = errors.Join(err, &OpError{Op: op, SQL: s, Err: rerr})
				}
			}
		}
	}()
	if err := a.exec(ctx, op, rb.stmts...); err != nil {
		return err
	}
	rename := []string{rb.rename}
	if !legacy {
		// The rename would otherwise check the views and triggers that name
		// the table, which does not exist at that moment.
		rename = []string{"PRAGMA legacy_alter_table = ON", rb.rename, "PRAGMA legacy_alter_table = OFF"}
		defer func() {
			if err != nil {
				_, _ = a.q.ExecContext(context.WithoutCancel(ctx), "PRAGMA legacy_alter_table = OFF")
			}
		}()
	}
	if err := a.exec(ctx, op, rename...); err != nil {
		return err
	}
	if err := a.exec(ctx, op, rb.after...); err != nil {
		return err
	}
	if checkFKs {
		refs, err := referencingTables(ctx, a.q, rb.table)
		if err != nil {
			return &OpError{Op: op, Err: err}
		}
		if err := sqlite.ForeignKeyCheck(ctx, a.q, append([]string{rb.table}, refs...)...); err != nil {
			return &OpError{Op: op, SQL: "PRAGMA foreign_key_check", Err: err}
		}
	}
	return a.exec(ctx, op, "RELEASE "+savepoint)
}

// readSQLiteObjects reads from sqlite_master what a rebuild of table
// recreates, and its generated columns.
func readSQLiteObjects(ctx context.Context, q Execer, table string) (*sqliteObjects, error) {
	objs := &sqliteObjects{}
	err := sqlite.ScanRows(ctx, q, `SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? COLLATE NOCASE AND sql IS NOT NULL ORDER BY rowid`,
		[]any{table}, func(scan func(...any) error) error {
			var typ, name, text string
			if err := scan(&typ, &name, &text); err != nil {
				return err
			}
			switch typ {
			case "table":
				objs.options = sqliteTableOptions(text)
			case "index":
				objs.indexes = append(objs.indexes, sqliteObject{name, text})
			case "trigger":
				objs.triggers = append(objs.triggers, sqliteObject{name, text})
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read the indexes and triggers of %s from sqlite_master: %w", table, err)
	}
	err = sqlite.ScanRows(ctx, q, `SELECT name FROM pragma_table_xinfo(?) WHERE hidden IN (2, 3) ORDER BY cid`, []any{table},
		func(scan func(...any) error) error {
			var name string
			if err := scan(&name); err != nil {
				return err
			}
			objs.generated = append(objs.generated, name)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read the columns of %s: %w", table, err)
	}
	return objs, nil
}

// referencingTables lists the tables with a foreign key to table, itself
// included when it references itself.
func referencingTables(ctx context.Context, q Execer, table string) ([]string, error) {
	var out []string
	err := sqlite.ScanRows(ctx, q, `SELECT DISTINCT m.name FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f
WHERE m.type = 'table' AND f."table" = ? COLLATE NOCASE ORDER BY m.name`, []any{table},
		func(scan func(...any) error) error {
			var name string
			if err := scan(&name); err != nil {
				return err
			}
			out = append(out, name)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("list the tables that reference %s: %w", table, err)
	}
	return out, nil
}
