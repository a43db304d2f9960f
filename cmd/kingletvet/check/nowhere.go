package check

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// checkNoWhere reports a bulk UPDATE or DELETE (orm.Update[T],
// orm.Delete[T], query.Update, query.Delete) that is run or built although
// no call of its chain is Where, OrWhere or AllRows: it fails with
// ErrNoWhere every time.
func (c *checker) checkNoWhere(call *ast.CallExpr) {
	q, via := c.writeRun(call)
	if q == nil {
		return
	}
	typ := c.info.TypeOf(q)
	ch, ok := c.chainOf(q, typ)
	if !ok || len(ch.roots) == 0 || ch.has("Where", "OrWhere", "AllRows") {
		return
	}
	what, rows := "UPDATE", "update"
	if isType(typ, queryPath, "DeleteQuery") || isType(typ, ormPath, "DeleteQuery") {
		what, rows = "DELETE", "delete"
	}
	c.report(analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(), Category: catNoWhere,
		Message: what + " without Where or AllRows: " + via + " fails with ErrNoWhere; add a condition, or call AllRows() to " +
			rows + " every row",
	})
}

// writeRun returns the UPDATE or DELETE builder that call runs or builds,
// and how: q.Exec(ctx), q.Build(d), q.BuildChecked(d, check), db.Exec(ctx,
// q), db.Query(ctx, q) or query.Build(d, q).
func (c *checker) writeRun(call *ast.CallExpr) (ast.Expr, string) {
	if recv, f, ok := methodCall(c.info, call); ok && isWrite(c.info.TypeOf(recv)) {
		switch f.Name() {
		case "Exec", "Build", "BuildChecked":
			return recv, f.Name()
		}
		return nil, ""
	}
	f := callee(c.info, call)
	switch {
	case f == nil:
		return nil, ""
	case isFunc(f, queryPath, "Build"):
	case f.Pkg() != nil && f.Pkg().Path() == ormPath && recvType(f) != nil && (f.Name() == "Exec" || f.Name() == "Query"):
	default:
		return nil, ""
	}
	for _, a := range call.Args {
		if isWrite(c.info.TypeOf(a)) {
			return a, f.Name()
		}
	}
	return nil, ""
}

// isWrite reports whether t is one of the bulk write builders that refuse
// to run without a WHERE.
func isWrite(t types.Type) bool {
	return isType(t, queryPath, "UpdateQuery") || isType(t, queryPath, "DeleteQuery") ||
		isType(t, ormPath, "UpdateQuery") || isType(t, ormPath, "DeleteQuery")
}
