package check

import (
	"go/ast"
	"go/types"
)

// chain is what a builder value may hold: every method call that derived
// it, from a constructor, following local variables (see varIndex).
type chain struct {
	calls []*ast.CallExpr // method calls on the builder, innermost last per path
	names map[*ast.CallExpr]string
	roots []*ast.CallExpr // the constructor calls
	vars  []*types.Var    // the variables followed
}

func (ch *chain) has(names ...string) bool {
	for _, call := range ch.calls {
		for _, n := range names {
			if ch.names[call] == n {
				return true
			}
		}
	}
	return false
}

// chainOf collects the chain of builder value e, whose type is an instance
// of typ, down to a constructor: a function of kinglet's query or orm
// package returning that type. ok is false when some value on the way is not
// one the analyzer can see (a parameter, a call of another function, a
// variable assigned through a pointer).
func (c *checker) chainOf(e ast.Expr, typ types.Type) (*chain, bool) {
	ch := &chain{names: map[*ast.CallExpr]string{}}
	ok := c.collect(e, typ, ch, map[*types.Var]bool{})
	return ch, ok
}

func (c *checker) collect(e ast.Expr, typ types.Type, ch *chain, seen map[*types.Var]bool) bool {
	for {
		e = ast.Unparen(e)
		if !sameOrigin(c.info.TypeOf(e), typ) {
			return false
		}
		switch x := e.(type) {
		case *ast.CallExpr:
			if recv, f, ok := methodCall(c.info, x); ok {
				if !isKinglet(f.Pkg()) || !sameOrigin(c.info.TypeOf(recv), typ) {
					return false
				}
				ch.calls = append(ch.calls, x)
				ch.names[x] = f.Name()
				e = recv
				continue
			}
			f := callee(c.info, x)
			if f == nil || f.Signature().Recv() != nil || !isKinglet(f.Pkg()) {
				return false
			}
			ch.roots = append(ch.roots, x)
			return true
		case *ast.Ident:
			v, values, ok := c.valuesOf(x, true)
			if !ok {
				return false
			}
			if seen[v] {
				return true // q = q.Where(…): q's other values are followed already
			}
			seen[v] = true
			ch.vars = append(ch.vars, v)
			for _, val := range values {
				if val != nil && !c.collect(val, typ, ch, seen) {
					return false
				}
			}
			return true
		default:
			return false
		}
	}
}

// escapes reports whether a variable of ch is used other than to derive its
// own next value (q = q.Where(…)), to run the query (q.All(ctx),
// orm.Pluck(ctx, q, …)) or in a statement of its own: a value that goes
// elsewhere may be joined or nested there.
func (c *checker) escapes(ch *chain) bool {
	for _, v := range ch.vars {
		for _, id := range c.usesOf(v) {
			if c.escapingUse(v, id) {
				return true
			}
		}
	}
	return false
}

func (c *checker) escapingUse(v *types.Var, id *ast.Ident) bool {
	parents := c.parentMap()
	typ := v.Type()
	var top ast.Expr = id
	for {
		switch p := parents[top].(type) {
		case *ast.ParenExpr:
			top = p
			continue
		case *ast.SelectorExpr:
			call, ok := parents[p].(*ast.CallExpr)
			if !ok || call.Fun != p {
				return true
			}
			_, f, ok := methodCall(c.info, call)
			if !ok || !isKinglet(f.Pkg()) {
				return true
			}
			if sameOrigin(c.info.TypeOf(call), typ) {
				top = call
				continue
			}
			return !selectRuns[f.Name()] && !(f.Name() == "Exec" && isWrite(typ))
		case *ast.CallExpr:
			f := callee(c.info, p)
			return !(isFunc(f, ormPath, "Pluck") || isFunc(f, ormPath, "Scalar") || isFunc(f, ormPath, "Into"))
		case *ast.AssignStmt:
			for i, l := range p.Lhs {
				if l == top {
					return false // q = …: an assignment, not a use
				}
				if i < len(p.Rhs) && p.Rhs[i] == top && len(p.Lhs) == len(p.Rhs) {
					lid, ok := ast.Unparen(l).(*ast.Ident)
					return !ok || c.info.ObjectOf(lid) != v
				}
			}
			return true
		case *ast.ExprStmt:
			return false
		default:
			return true
		}
	}
}

// usesOf lists the identifiers that refer to v.
func (c *checker) usesOf(v *types.Var) []*ast.Ident {
	if c.uses == nil {
		c.uses = map[*types.Var][]*ast.Ident{}
		for id, obj := range c.info.Uses {
			if w, ok := obj.(*types.Var); ok && !w.IsField() {
				c.uses[w] = append(c.uses[w], id)
			}
		}
	}
	return c.uses[v]
}

// parentMap maps each node of the package's files to its parent.
func (c *checker) parentMap() map[ast.Node]ast.Node {
	if c.parents == nil {
		c.parents = map[ast.Node]ast.Node{}
		for _, f := range c.pass.Files {
			var stack []ast.Node
			ast.Inspect(f, func(n ast.Node) bool {
				if n == nil {
					stack = stack[:len(stack)-1]
					return false
				}
				if len(stack) > 0 {
					c.parents[n] = stack[len(stack)-1]
				}
				stack = append(stack, n)
				return true
			})
		}
	}
	return c.parents
}
