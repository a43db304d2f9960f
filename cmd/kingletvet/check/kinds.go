package check

import (
	"go/ast"
	"go/constant"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// The kinglet packages whose API the checks know.
const (
	kingletPath = "github.com/kingletdb/kinglet"
	queryPath   = kingletPath + "/query"
	ormPath     = kingletPath + "/orm"
	fieldsPath  = kingletPath + "/fields"
)

// named is t's named type, with aliases resolved, or nil.
func named(t types.Type) *types.Named {
	n, _ := types.Unalias(t).(*types.Named)
	return n
}

// isType reports whether t is the named type pkg.name (any instance of it,
// when it is generic).
func isType(t types.Type, pkg, name string) bool {
	n := named(t)
	if n == nil {
		return false
	}
	o := n.Origin().Obj()
	return o.Pkg() != nil && o.Pkg().Path() == pkg && o.Name() == name
}

// sameOrigin reports whether a and b are instances of one named type.
func sameOrigin(a, b types.Type) bool {
	na, nb := named(a), named(b)
	return na != nil && nb != nil && na.Origin() == nb.Origin()
}

// isKinglet reports whether pkg is kinglet's query or orm package.
func isKinglet(pkg *types.Package) bool {
	return pkg != nil && (pkg.Path() == queryPath || pkg.Path() == ormPath)
}

// callee is the function or method that call calls, as declared (the
// generic origin for an instance), or nil for a call of a function value,
// a conversion or a builtin.
func callee(info *types.Info, call *ast.CallExpr) *types.Func {
	f, _ := typeutil.Callee(info, call).(*types.Func)
	if f == nil {
		return nil
	}
	return f.Origin()
}

// isFunc reports whether f is the package-level function pkg.name.
func isFunc(f *types.Func, pkg, name string) bool {
	return f != nil && f.Pkg() != nil && f.Pkg().Path() == pkg && f.Name() == name &&
		f.Signature().Recv() == nil
}

// recvType is the receiver's named type of method f (through a pointer), or
// nil for a function.
func recvType(f *types.Func) *types.Named {
	if f == nil {
		return nil
	}
	r := f.Signature().Recv()
	if r == nil {
		return nil
	}
	t := r.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	return named(t)
}

// isMethod reports whether f is method name of the named type pkg.typ.
func isMethod(f *types.Func, pkg, typ, name string) bool {
	r := recvType(f)
	return r != nil && f.Name() == name && isType(r, pkg, typ)
}

// methodCall splits call into its receiver expression and method when it
// calls a method through a selector (x.M(…)).
func methodCall(info *types.Info, call *ast.CallExpr) (recv ast.Expr, f *types.Func, ok bool) {
	sel, isSel := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !isSel {
		return nil, nil, false
	}
	s := info.Selections[sel]
	if s == nil || s.Kind() != types.MethodVal {
		return nil, nil, false
	}
	f, _ = s.Obj().(*types.Func)
	if f == nil {
		return nil, nil, false
	}
	return sel.X, f.Origin(), true
}

// typeArg is the i-th type argument of the generic function that call
// instantiates (orm.ColOf[V, T]), or nil.
func typeArg(info *types.Info, call *ast.CallExpr, i int) types.Type {
	fun := ast.Unparen(call.Fun)
	switch x := fun.(type) {
	case *ast.IndexExpr:
		fun = x.X
	case *ast.IndexListExpr:
		fun = x.X
	}
	var id *ast.Ident
	switch x := fun.(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	}
	if id == nil {
		return nil
	}
	inst, ok := info.Instances[id]
	if !ok || inst.TypeArgs == nil || i >= inst.TypeArgs.Len() {
		return nil
	}
	return inst.TypeArgs.At(i)
}

// ormModel is T of a value of type orm.SelectQuery[T], orm.UpdateQuery[T] or
// orm.DeleteQuery[T], and which of them it is.
func ormModel(t types.Type) (model types.Type, kind string) {
	n := named(t)
	if n == nil {
		return nil, ""
	}
	o := n.Origin().Obj()
	if o.Pkg() == nil || o.Pkg().Path() != ormPath || n.TypeArgs().Len() != 1 {
		return nil, ""
	}
	switch o.Name() {
	case "SelectQuery", "UpdateQuery", "DeleteQuery":
		return n.TypeArgs().At(0), o.Name()
	}
	return nil, ""
}

// isStatementType reports whether t is one of kinglet's statements (a
// subquery inside an expression has a scope of its own) or the ORM's typed
// queries.
func isStatementType(t types.Type) bool {
	n := named(t)
	if n == nil {
		return false
	}
	o := n.Origin().Obj()
	if !isKinglet(o.Pkg()) {
		return false
	}
	switch o.Name() {
	case "SelectQuery", "InsertQuery", "UpdateQuery", "DeleteQuery", "Statement", "CTE", "TableRef",
		"CreateTableQuery", "DropTableQuery", "CreateIndexQuery", "DropIndexQuery":
		return true
	}
	return false
}

// constString is the value of e when it is a constant string.
func constString(info *types.Info, e ast.Expr) (string, bool) {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil {
		return "", false
	}
	if tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

// hasTypeParams reports whether t mentions a type parameter: a model that
// is not known until instantiation.
func hasTypeParams(t types.Type) bool {
	found := false
	var walk func(types.Type)
	seen := map[types.Type]bool{}
	walk = func(t types.Type) {
		if found || t == nil || seen[t] {
			return
		}
		seen[t] = true
		switch x := types.Unalias(t).(type) {
		case *types.TypeParam:
			found = true
		case *types.Named:
			for i := 0; i < x.TypeArgs().Len(); i++ {
				walk(x.TypeArgs().At(i))
			}
		case *types.Pointer:
			walk(x.Elem())
		case *types.Slice:
			walk(x.Elem())
		case *types.Array:
			walk(x.Elem())
		case *types.Map:
			walk(x.Key())
			walk(x.Elem())
		}
	}
	walk(t)
	return found
}
