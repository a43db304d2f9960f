package check

import (
	"go/ast"
	"go/types"
)

// nameUse is a column name written as a constant in an expression:
// query.C("name") (table "") or query.Table("users").C("name").
type nameUse struct {
	table string
	name  string
	arg   ast.Expr   // the name's argument, for a suggested fix
	via   *ast.Ident // the variable the expression was reached through, if any
}

// exprScan is what scanExpr found in the arguments of a builder method.
type exprScan struct {
	uses    []nameUse
	aliases []string // names defined with As("…")
	opaque  bool     // an expression whose content the scan cannot see
	depth   int      // variables followed, against cycles
}

// scanArgs scans the arguments of call, from index from on.
func (c *checker) scanArgs(call *ast.CallExpr, from int, s *exprScan) {
	if call.Ellipsis.IsValid() {
		s.opaque = true // Where(conds...): the slice's content is not visible
	}
	for i := from; i < len(call.Args); i++ {
		c.scanExpr(call.Args[i], s)
	}
}

// scanExpr collects the column names and aliases of expression e, looking
// into calls of package query and of orm.Col's methods. It does not look
// into subqueries (a statement has a scope of its own), into
// query.Unchecked (which the column check skips) or into calls of other
// functions.
func (c *checker) scanExpr(e ast.Expr, s *exprScan) {
	e = ast.Unparen(e)
	call, ok := e.(*ast.CallExpr)
	if !ok {
		switch x := e.(type) {
		case *ast.BasicLit, *ast.FuncLit:
		case *ast.Ident:
			c.scanVar(x, s)
		default:
			c.opaqueIfExpr(e, s)
		}
		return
	}
	if isStatementType(c.info.TypeOf(call)) {
		return
	}
	if recv, f, ok := methodCall(c.info, call); ok {
		switch {
		case isMethod(f, queryPath, "TableRef", "C"):
			if table := c.tableOf(recv); table != "" && len(call.Args) == 1 {
				if name, ok := constString(c.info, call.Args[0]); ok {
					s.uses = append(s.uses, nameUse{table: table, name: name, arg: call.Args[0]})
				}
			}
			return
		case isMethod(f, queryPath, "CTE", "C"):
			return
		case isMethod(f, queryPath, "Ex", "As"):
			if name, ok := constString(c.info, call.Args[0]); ok {
				s.aliases = append(s.aliases, name)
			} else {
				s.opaque = true
			}
		case f.Pkg() != nil && f.Pkg().Path() == queryPath, isType(recvType(f), ormPath, "Col"):
		default:
			c.opaqueIfExpr(call, s)
			return
		}
		c.scanExpr(recv, s)
		c.scanArgs(call, 0, s)
		return
	}
	f := callee(c.info, call)
	switch {
	case f == nil:
		c.opaqueIfExpr(call, s)
	case isFunc(f, queryPath, "C"):
		if len(call.Args) == 1 {
			if name, ok := constString(c.info, call.Args[0]); ok {
				s.uses = append(s.uses, nameUse{name: name, arg: call.Args[0]})
			}
		}
	case isFunc(f, queryPath, "Unchecked"):
		s.opaque = true // its aliases still name result columns
	case f.Pkg() != nil && f.Pkg().Path() == queryPath:
		c.scanArgs(call, 0, s)
	case isFunc(f, ormPath, "ColOf"), isFunc(f, ormPath, "Field"):
		// a column of the model, checked where it is made
	default:
		c.opaqueIfExpr(call, s)
	}
}

// scanVar scans the value of a variable holding an expression
// (typo := query.C("nmae")) when it has exactly one; names found there are
// reported at the variable.
func (c *checker) scanVar(id *ast.Ident, s *exprScan) {
	_, values, ok := c.valuesOf(id, false)
	if !ok || len(values) != 1 || values[0] == nil || s.depth >= 8 || !c.isExprType(c.info.TypeOf(id)) {
		c.opaqueIfExpr(id, s)
		return
	}
	n := len(s.uses)
	s.depth++
	c.scanExpr(values[0], s)
	s.depth--
	for i := n; i < len(s.uses); i++ {
		if s.uses[i].via == nil {
			s.uses[i].via = id
		}
	}
}

// opaqueIfExpr marks s opaque when e is a kinglet expression (or a slice
// of them) whose content the scan cannot see: a variable, a field, the
// result of another function.
func (c *checker) opaqueIfExpr(e ast.Expr, s *exprScan) {
	t := c.info.TypeOf(e)
	if sl, ok := types.Unalias(t).(*types.Slice); ok {
		t = sl.Elem()
	}
	if c.isExprType(t) {
		s.opaque = true
	}
}

// isExprType reports whether t is one of package query's expression types
// (which may hold columns and aliases).
func (c *checker) isExprType(t types.Type) bool {
	n := named(t)
	if n == nil || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != queryPath {
		return false
	}
	switch n.Obj().Name() {
	case "Ex", "Expr", "Fn", "CaseExpr", "Ordering":
		return true
	}
	return false
}

// tableOf is the table name of a TableRef expression when it is
// query.Table("name") itself, or a variable whose only value is that; ""
// otherwise (an alias, a schema, a derived table, anything computed).
func (c *checker) tableOf(e ast.Expr) string {
	e = ast.Unparen(e)
	if id, ok := e.(*ast.Ident); ok {
		_, values, ok := c.valuesOf(id, false)
		if !ok || len(values) != 1 || values[0] == nil {
			return ""
		}
		e = ast.Unparen(values[0])
	}
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 || !isFunc(callee(c.info, call), queryPath, "Table") {
		return ""
	}
	name, _ := constString(c.info, call.Args[0])
	return name
}
