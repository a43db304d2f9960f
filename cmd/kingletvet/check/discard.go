package check

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// checkDiscard reports an expression statement that calls a function or
// method of kinglet's query or orm package returning one of its immutable
// builders: the call makes a new value and changes nothing, so dropping the
// result drops the call.
func (c *checker) checkDiscard(stmt *ast.ExprStmt) {
	call, ok := ast.Unparen(stmt.X).(*ast.CallExpr)
	if !ok {
		return
	}
	f := callee(c.info, call)
	if f == nil || !isKinglet(f.Pkg()) {
		return
	}
	res := c.info.TypeOf(call)
	if !c.isBuilder(res) {
		return
	}
	name := types.TypeString(res, c.qualifier)
	d := analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Category: catDiscard}
	recv, _, isMethod := methodCall(c.info, call)
	if !isMethod {
		d.Message = "result of " + c.funcName(call, f) + " is not used: it returns a new " + name + " and changes nothing"
		c.report(d)
		return
	}
	d.Message = "result of " + types.TypeString(c.info.TypeOf(recv), c.qualifier) + "." + f.Name() +
		" is not used: builders are immutable, so the call does nothing"
	// The variable at the root of the chain, when the result can be
	// assigned back to it: q.Where(…).OrderBy(…) -> q = q.Where(…).OrderBy(…).
	root := recv
	for {
		inner, ok := ast.Unparen(root).(*ast.CallExpr)
		if !ok {
			break
		}
		r, g, ok := methodCall(c.info, inner)
		if !ok || !isKinglet(g.Pkg()) {
			break
		}
		root = r
	}
	if target := c.assignable(root); target != "" && types.Identical(c.info.TypeOf(root), res) {
		d.Message += "; assign it: " + target + " = " + target + ".…"
		d.SuggestedFixes = []analysis.SuggestedFix{{
			Message:   "assign the result to " + target,
			TextEdits: []analysis.TextEdit{{Pos: stmt.Pos(), End: stmt.Pos(), NewText: []byte(target + " = ")}},
		}}
	}
	c.report(d)
}

// assignable is the source text of e when e is a variable or a field of one
// that the result of a call can be assigned to, or "".
func (c *checker) assignable(e ast.Expr) string {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := c.info.Uses[x].(*types.Var); ok && x.Name != "_" && !v.IsField() {
			return x.Name
		}
	case *ast.SelectorExpr:
		sel := c.info.Selections[x]
		if sel == nil || sel.Kind() != types.FieldVal {
			return ""
		}
		if base := c.assignable(x.X); base != "" {
			return base + "." + x.Sel.Name
		}
	}
	return ""
}

// funcName is how the call names its function: query.Select,
// orm.Select[User].
func (c *checker) funcName(call *ast.CallExpr, f *types.Func) string {
	name := f.Pkg().Name() + "." + f.Name()
	if t := typeArg(c.info, call, 0); t != nil {
		name += "[" + types.TypeString(t, c.qualifier) + "]"
	}
	return name
}

// isBuilder reports whether t is one of kinglet's immutable builders: a
// struct type of the query or orm package with a value method that returns
// a value of the type itself (Where, OrderBy, Eq, As, …).
func (c *checker) isBuilder(t types.Type) bool {
	n := named(t)
	if n == nil || !isKinglet(n.Obj().Pkg()) {
		return false
	}
	if _, ok := n.Underlying().(*types.Struct); !ok {
		return false
	}
	o := n.Origin()
	for i := 0; i < o.NumMethods(); i++ {
		m := o.Method(i)
		sig := m.Signature()
		if !m.Exported() || sig.Results().Len() != 1 {
			continue
		}
		if _, ptr := sig.Recv().Type().(*types.Pointer); ptr {
			continue
		}
		if sameOrigin(sig.Results().At(0).Type(), o) {
			return true
		}
	}
	return false
}
