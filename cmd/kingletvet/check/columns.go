package check

import (
	"go/ast"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// The methods of orm.SelectQuery[T] that take expressions in T's scope, and
// those that run the query (a chain that reaches one of these is complete:
// its value is not joined or nested later).
var (
	scopedMethods = map[string]bool{"Where": true, "OrWhere": true, "OrderBy": true, "GroupBy": true, "Having": true, "Columns": true}
	selectRuns    = map[string]bool{"All": true, "One": true, "First": true, "Count": true, "Exists": true, "Iter": true, "Maps": true, "Build": true}
)

// checkColumns reports column and relation names that the statically known
// model of an ORM query lacks.
func (c *checker) checkColumns(call *ast.CallExpr) {
	if recv, f, ok := methodCall(c.info, call); ok {
		if T, kind := ormModel(c.info.TypeOf(recv)); T != nil && f.Pkg() != nil && f.Pkg().Path() == ormPath {
			c.checkModelCall(call, f.Name(), kind, T, recv)
		}
		return
	}
	f := callee(c.info, call)
	switch {
	case f == nil:
	case isFunc(f, ormPath, "ColOf"):
		if m := c.modelOf(typeArg(c.info, call, 1)); m != nil && len(call.Args) == 1 {
			if name, ok := constString(c.info, call.Args[0]); ok && !m.hasColumn(name) {
				if _, ok := m.byGo[name]; !ok {
					c.reportColumn(nameUse{name: name, arg: call.Args[0]}, [][]*model{{m}})
				}
			}
		}
	case isFunc(f, ormPath, "Has"):
		if m := c.modelOf(typeArg(c.info, call, 0)); m != nil && len(call.Args) > 0 {
			c.checkRelation(m, call.Args[0])
		}
	case isFunc(f, ormPath, "Pluck"), isFunc(f, ormPath, "Scalar"), isFunc(f, ormPath, "Into"):
		if len(call.Args) < 2 {
			return
		}
		T, _ := ormModel(c.info.TypeOf(call.Args[1]))
		m := c.modelOf(T)
		if m == nil {
			return
		}
		var extra []ast.Expr
		if len(call.Args) > 2 {
			extra = call.Args[2:]
			var s exprScan
			for _, a := range extra {
				c.scanExpr(a, &s)
			}
			c.checkQualified(m, s.uses)
		}
		c.checkSelectRun(m, call.Args[1], extra)
	}
}

// checkModelCall checks a call of method name of orm.SelectQuery[T],
// UpdateQuery[T] or DeleteQuery[T] (kind), made on recv.
func (c *checker) checkModelCall(call *ast.CallExpr, name, kind string, T types.Type, recv ast.Expr) {
	m := c.modelOf(T)
	if m == nil {
		return
	}
	var s exprScan
	switch {
	case kind == "UpdateQuery" && name == "Set":
		if len(call.Args) == 2 {
			if col, ok := constString(c.info, call.Args[0]); ok && !m.hasColumn(col) {
				c.reportColumn(nameUse{name: col, arg: call.Args[0]}, [][]*model{{m}})
			}
			c.scanExpr(call.Args[1], &s)
		}
	case kind == "UpdateQuery" && name == "SetAll":
		for _, a := range call.Args {
			ac, ok := ast.Unparen(a).(*ast.CallExpr)
			if !ok || len(ac.Args) != 2 || !isFunc(callee(c.info, ac), queryPath, "Assign") {
				continue
			}
			if col, ok := constString(c.info, ac.Args[0]); ok && !m.hasColumn(col) {
				c.reportColumn(nameUse{name: col, arg: ac.Args[0]}, [][]*model{{m}})
			}
			c.scanExpr(ac.Args[1], &s)
		}
	case kind == "SelectQuery" && name == "Load":
		if !call.Ellipsis.IsValid() {
			for _, a := range call.Args {
				c.checkRelation(m, a)
			}
		}
		return
	case kind == "SelectQuery" && (name == "WhereHas" || name == "WhereHasNo"):
		if len(call.Args) > 0 {
			c.checkRelation(m, call.Args[0])
		}
		// The conditions stand in a subquery over the related table: only
		// their qualified names are checked.
		c.scanArgs(call, 1, &s)
		c.checkQualified(m, s.uses)
		return
	case kind == "SelectQuery" && (name == "Join" || name == "LeftJoin"):
		c.scanArgs(call, 1, &s)
		c.checkQualified(m, s.uses)
		return
	case scopedMethods[name]:
		c.scanArgs(call, 0, &s)
	case kind == "SelectQuery" && selectRuns[name]:
		c.checkSelectRun(m, recv, nil)
		return
	default:
		return
	}
	c.checkQualified(m, s.uses)
	if kind != "SelectQuery" {
		// An orm.UpdateQuery[T] or DeleteQuery[T] has no joins and is
		// never nested: its unqualified names are T's.
		if tables, ok := c.reach(m); ok {
			c.checkUnqualified([][]*model{tables[m.table]}, s.uses, nil)
		}
	}
}

// checkQualified reports names qualified with the table of m or of a model
// m reaches through its relations that the models of that table lack: the
// ORM's check refuses them whatever else the query holds. Other tables are
// left to the database, as the ORM leaves them.
func (c *checker) checkQualified(m *model, uses []nameUse) {
	tables, ok := c.reach(m)
	if !ok {
		return
	}
	for _, u := range uses {
		if ms := tables[u.table]; u.table != "" && len(ms) > 0 && !anyHas(ms, u.name) {
			c.reportColumn(u, [][]*model{ms})
		}
	}
}

// checkUnqualified reports unqualified names that are neither aliases nor
// a column of a model of the tables in sources.
func (c *checker) checkUnqualified(sources [][]*model, uses []nameUse, aliases []string) {
outer:
	for _, u := range uses {
		if u.table != "" {
			continue
		}
		for _, a := range aliases {
			if a == u.name {
				continue outer
			}
		}
		for _, ms := range sources {
			if anyHas(ms, u.name) {
				continue outer
			}
		}
		c.reportColumn(u, sources)
	}
}

func anyHas(ms []*model, name string) bool {
	for _, m := range ms {
		if m.hasColumn(name) {
			return true
		}
	}
	return false
}

// checkSelectRun checks the unqualified names of the orm.SelectQuery[T]
// chain s that a run (All, Count, Pluck, …) executes, with extra arguments
// that join its select list (Pluck's and Scalar's column). A name may be an
// alias of the select list or a column of a joined table: a chain whose
// aliases are not all visible, or that joins a table that is not one of a
// model T reaches through its relations, is left alone; so is a chain the
// analyzer cannot follow to orm.Select (see chainOf), or whose value also
// goes elsewhere.
func (c *checker) checkSelectRun(m *model, s ast.Expr, extra []ast.Expr) {
	typ := c.info.TypeOf(s)
	ch, ok := c.chainOf(s, typ)
	if !ok || len(ch.roots) == 0 || c.escapes(ch) {
		return
	}
	tables, ok := c.reach(m)
	if !ok {
		return
	}
	sources := [][]*model{tables[m.table]}
	joined := map[string]bool{m.table: true}
	var sel exprScan
	for _, call := range ch.calls {
		switch ch.names[call] {
		case "Columns":
			c.scanArgs(call, 0, &sel)
		case "Join", "LeftJoin":
			table := ""
			if len(call.Args) > 0 {
				table = c.tableOf(call.Args[0])
			}
			ms := tables[table]
			if len(ms) == 0 {
				return // a table the ORM's check does not know: any name may be its
			}
			if !joined[table] {
				joined[table] = true
				sources = append(sources, ms)
			}
		}
	}
	for _, e := range extra {
		c.scanExpr(e, &sel)
	}
	if sel.opaque {
		return
	}
	var all exprScan
	for _, call := range ch.calls {
		if scopedMethods[ch.names[call]] {
			c.scanArgs(call, 0, &all)
		}
	}
	for _, e := range extra {
		c.scanExpr(e, &all)
	}
	c.checkUnqualified(sources, all.uses, sel.aliases)
}

// reportColumn reports that the models of the tables in groups (one group
// per table) have no column u.name, suggesting the closest one.
func (c *checker) reportColumn(u nameUse, groups [][]*model) {
	var msg string
	var candidates []string
	seen := map[string]bool{}
	for i, ms := range groups {
		names := make([]string, len(ms))
		for j, m := range ms {
			names[j] = m.name
			for _, col := range m.columns {
				if !seen[col] {
					seen[col] = true
					candidates = append(candidates, col)
				}
			}
		}
		which := "(model " + strings.Join(names, ", ") + ")"
		switch {
		case i > 0:
			msg += ", nor has " + ms[0].table + " " + which
		case ms[0].table == "":
			msg = "model " + ms[0].name + " has no column " + strconv.Quote(u.name)
		default:
			msg = ms[0].table + " has no column " + strconv.Quote(u.name) + " " + which
		}
	}
	at := u.arg
	if u.via != nil {
		at = u.via
		msg = u.via.Name + ": " + msg
	}
	d := analysis.Diagnostic{Pos: at.Pos(), End: at.End(), Category: catColumns}
	if best := closest(u.name, candidates); best != "" {
		msg += "; did you mean " + strconv.Quote(best) + "?"
		if u.via == nil {
			d.SuggestedFixes = c.replaceLit(u.arg, best)
		}
	}
	d.Message = msg
	c.report(d)
}

// checkRelation reports a relation path (Load("Tweets.Likes"), WhereHas)
// naming a relation its model lacks.
func (c *checker) checkRelation(m *model, arg ast.Expr) {
	path, ok := constString(c.info, arg)
	if !ok {
		return
	}
	parts := strings.Split(path, ".")
	cur := m
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			c.report(analysis.Diagnostic{Pos: arg.Pos(), End: arg.End(), Category: catRelation,
				Message: "empty relation name in " + strconv.Quote(path)})
			return
		}
		target, ok := cur.rels[p]
		if ok {
			if cur = c.modelOf(target); cur == nil {
				return
			}
			continue
		}
		msg := cur.name + " has no relation " + strconv.Quote(p)
		if len(parts) > 1 {
			msg += " (in " + strconv.Quote(path) + ")"
		}
		d := analysis.Diagnostic{Pos: arg.Pos(), End: arg.End(), Category: catRelation}
		if len(cur.relList) == 0 {
			msg += ": it has no relations"
		} else if best := closest(p, cur.relList); best != "" {
			msg += "; did you mean " + strconv.Quote(best) + "?"
			fixed := append(append(append([]string{}, parts[:i]...), best), parts[i+1:]...)
			d.SuggestedFixes = c.replaceLit(arg, strings.Join(fixed, "."))
		} else {
			msg += "; it has " + strings.Join(cur.relList, ", ")
		}
		d.Message = msg
		c.report(d)
		return
	}
}

// replaceLit is the fix that replaces string literal lit with s; none when
// lit is not a literal (a named constant).
func (c *checker) replaceLit(lit ast.Expr, s string) []analysis.SuggestedFix {
	if bl, ok := ast.Unparen(lit).(*ast.BasicLit); !ok || bl.Value[0] == '`' {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message:   "use " + strconv.Quote(s),
		TextEdits: []analysis.TextEdit{{Pos: lit.Pos(), End: lit.End(), NewText: []byte(strconv.Quote(s))}},
	}}
}
