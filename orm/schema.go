package orm

import (
	"context"
	"fmt"
	"reflect"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// CreateTables creates the tables of the given models (pointers or values)
// if they do not exist yet, in foreign-key order (a referenced table first),
// with their indexes.
func (c *conn) CreateTables(ctx context.Context, models ...any) error {
	tables, err := orderedTables(models)
	if err != nil {
		return err
	}
	for _, t := range tables {
		ct, err := query.CreateTableFor(t)
		if err != nil {
			return err
		}
		if _, err := c.Exec(ctx, ct.IfNotExists()); err != nil {
			return errorf("kinglet: orm: create table %s: %w", t.Name, err)
		}
		for _, ix := range query.IndexesFor(t) {
			if err := c.createIndex(ctx, t, ix); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *conn) createIndex(ctx context.Context, t *fields.Table, ix query.CreateIndexQuery) error {
	if c.d.Has(dialect.IndexIfNotExists) {
		if _, err := c.Exec(ctx, ix.IfNotExists()); err != nil {
			return errorf("kinglet: orm: create index on %s: %w", t.Name, err)
		}
		return nil
	}
	// MySQL 8 has no CREATE INDEX IF NOT EXISTS: look first.
	name := ix.Name()
	var n int
	row, err := c.QueryContext(ctx, "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ?", t.Name, name)
	if err != nil {
		return errorf("kinglet: orm: look up index %s: %w", name, err)
	}
	if n, err = scanScalar[int](row); err != nil {
		return errorf("kinglet: orm: look up index %s: %w", name, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := c.Exec(ctx, ix); err != nil {
		return errorf("kinglet: orm: create index %s on %s: %w", name, t.Name, err)
	}
	return nil
}

// DropTables drops the tables of the given models if they exist, in reverse
// foreign-key order (a referencing table first).
func (c *conn) DropTables(ctx context.Context, models ...any) error {
	tables, err := orderedTables(models)
	if err != nil {
		return err
	}
	for i := len(tables) - 1; i >= 0; i-- {
		t := tables[i]
		if _, err := c.Exec(ctx, query.DropTable(query.Table(t.Name)).IfExists()); err != nil {
			return errorf("kinglet: orm: drop table %s: %w", t.Name, err)
		}
	}
	return nil
}

// orderedTables resolves the models' metadata and sorts it so that every
// table comes after the tables it references (among those given).
func orderedTables(models []any) ([]*fields.Table, error) {
	byName := map[string]*fields.Table{}
	var list []*fields.Table
	for _, m := range models {
		if m == nil {
			return nil, fmt.Errorf("kinglet: orm: nil model")
		}
		rt := reflect.TypeOf(m)
		t, err := fields.TableOf(rt)
		if err != nil {
			return nil, err
		}
		if t.Name == "" {
			return nil, fmt.Errorf("kinglet: orm: %s has no table name", rt)
		}
		if _, dup := byName[t.Name]; !dup {
			byName[t.Name] = t
			list = append(list, t)
		}
	}
	var out []*fields.Table
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(t *fields.Table, path []string) error
	visit = func(t *fields.Table, path []string) error {
		switch state[t.Name] {
		case 2:
			return nil
		case 1:
			return fmt.Errorf("kinglet: orm: foreign keys form a cycle: %v -> %s; create those constraints in a migration", path, t.Name)
		}
		state[t.Name] = 1
		for _, fk := range t.ForeignKeys {
			if ref, ok := byName[fk.RefTable]; ok && ref != t {
				if err := visit(ref, append(path, t.Name)); err != nil {
					return err
				}
			}
		}
		state[t.Name] = 2
		out = append(out, t)
		return nil
	}
	for _, t := range list {
		if err := visit(t, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}
