package check

import (
	"go/ast"
	"go/token"
	"go/types"
)

// varIndex knows, for each variable of the package, every value assigned to
// it, so that a chain can be followed through simple variables:
//
//	q := orm.Delete[User](db)
//	q = q.Where(…)
//	q.Exec(ctx)
//
// The analysis is flow-insensitive: a variable's possible values are all
// the values assigned to it anywhere. A variable whose address is taken,
// that is assigned from a multi-value call, a range clause or an operator
// assignment, or that is a parameter or result, is not followed.
type varIndex struct {
	values   map[*types.Var][]ast.Expr // nil: declared without a value (the zero value)
	declared map[*types.Var]bool
	opaque   map[*types.Var]bool
}

func indexVars(info *types.Info, files []*ast.File) *varIndex {
	x := &varIndex{values: map[*types.Var][]ast.Expr{}, declared: map[*types.Var]bool{}, opaque: map[*types.Var]bool{}}
	varOf := func(e ast.Expr) (*types.Var, bool) {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return nil, false
		}
		v, ok := info.ObjectOf(id).(*types.Var)
		if !ok || v.IsField() {
			return nil, false
		}
		return v, info.Defs[id] == v
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				simple := (n.Tok == token.ASSIGN || n.Tok == token.DEFINE) && len(n.Lhs) == len(n.Rhs)
				for i, l := range n.Lhs {
					v, def := varOf(l)
					if v == nil {
						continue
					}
					if def {
						x.declared[v] = true
					}
					if !simple {
						x.opaque[v] = true
						continue
					}
					x.values[v] = append(x.values[v], n.Rhs[i])
				}
			case *ast.ValueSpec:
				for i, name := range n.Names {
					v, _ := info.Defs[name].(*types.Var)
					if v == nil {
						continue
					}
					x.declared[v] = true
					switch {
					case len(n.Values) == 0:
						x.values[v] = append(x.values[v], nil)
					case len(n.Values) == len(n.Names):
						x.values[v] = append(x.values[v], n.Values[i])
					default:
						x.opaque[v] = true
					}
				}
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					if v, _ := varOf(n.X); v != nil {
						x.opaque[v] = true
					}
				}
			case *ast.RangeStmt:
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if e == nil {
						continue
					}
					if v, def := varOf(e); v != nil {
						if def {
							x.declared[v] = true
						}
						x.opaque[v] = true
					}
				}
			case *ast.IncDecStmt:
				if v, _ := varOf(n.X); v != nil {
					x.opaque[v] = true
				}
			}
			return true
		})
	}
	return x
}

// valuesOf returns every value assigned to the variable e names, when e is
// a variable the index can follow; local limits it to variables declared
// inside a function (a package-level variable may be assigned anywhere).
func (c *checker) valuesOf(e ast.Expr, local bool) (*types.Var, []ast.Expr, bool) {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil, nil, false
	}
	v, ok := c.info.Uses[id].(*types.Var)
	if !ok || v.IsField() || !c.vars.declared[v] || c.vars.opaque[v] || v.Pkg() != c.pass.Pkg {
		return nil, nil, false
	}
	if local && v.Parent() == c.pass.Pkg.Scope() {
		return nil, nil, false
	}
	return v, c.vars.values[v], true
}
