package orm

import (
	"strconv"
	"strings"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// existsFor builds [NOT] EXISTS (SELECT 1 FROM related WHERE related.key =
// parent.key AND conds…) for the relation path name of t, one EXISTS per
// level with conds in the innermost:
//
//	belongs_to          SELECT 1 FROM target WHERE target.ref = parent.fk
//	has_one, has_many   SELECT 1 FROM target WHERE target.fk = parent.ref
//	many_to_many        SELECT 1 FROM join JOIN target ON target.pk = join.join_fk
//	                    WHERE join.fk = parent.ref
//
// A table whose name is already in use by an enclosing level is aliased as
// the snake_case of its relation name (with "_through" for a join model).
func existsFor(t *fields.Table, name string, conds []query.Expr, not bool) (query.Ex, error) {
	path, err := relPath(t, name)
	if err != nil {
		return query.Ex{}, err
	}
	used := map[string]bool{strings.ToLower(t.Name): true}
	ref := func(table, relName, suffix string) query.TableRef {
		tr := query.Table(table)
		id := table
		if used[strings.ToLower(table)] {
			base := fields.SnakeCase(relName) + suffix
			id = base
			for n := 2; used[strings.ToLower(id)]; n++ {
				id = base + "_" + strconv.Itoa(n)
			}
			tr = tr.As(id)
		}
		used[strings.ToLower(id)] = true
		return tr
	}
	levels := make([]query.TableRef, len(path)+1) // levels[0] is t, levels[i+1] path[i]'s target
	throughs := make([]query.TableRef, len(path))
	levels[0] = query.Table(t.Name)
	for i, ri := range path {
		if ri.through != nil {
			throughs[i] = ref(ri.through.Name, ri.rel.Name, "_through")
		}
		levels[i+1] = ref(ri.target.Name, ri.rel.Name, "")
	}
	one := query.SQL("1")
	inner := conds
	var e query.Ex
	for i := len(path) - 1; i >= 0; i-- {
		ri, parent, tt := path[i], levels[i], levels[i+1]
		var sub query.SelectQuery
		if ri.rel.Kind == fields.ManyToMany {
			th := throughs[i]
			sub = query.Select(one).From(th).
				Join(tt, tt.C(ri.targetPK.Column).Eq(th.C(ri.joinKey.Column))).
				Where(th.C(ri.matchKey.Column).Eq(parent.C(ri.ownerKey.Column)))
		} else {
			sub = query.Select(one).From(tt).
				Where(tt.C(ri.matchKey.Column).Eq(parent.C(ri.ownerKey.Column)))
		}
		if len(inner) > 0 {
			sub = sub.Where(inner...)
		}
		if i == 0 && not {
			e = query.NotExists(sub)
		} else {
			e = query.Exists(sub)
		}
		inner = []query.Expr{e}
	}
	return e, nil
}
