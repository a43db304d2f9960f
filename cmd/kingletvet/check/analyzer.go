package check

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// Analyzer reports misuses of kinglet's query builders and ORM; see the
// package documentation for what it reports.
var Analyzer = &analysis.Analyzer{
	Name:      "kingletvet",
	Doc:       doc,
	URL:       "https://pkg.go.dev/github.com/kingletdb/kinglet/cmd/kingletvet/check",
	Requires:  []*analysis.Analyzer{inspect.Analyzer},
	Run:       run,
	FactTypes: []analysis.Fact{new(tableNameFact)},
}

// checksFlag is the -checks flag: the categories to report.
var checksFlag = strings.Join(allChecks, ",")

func init() {
	Analyzer.Flags.StringVar(&checksFlag, "checks", checksFlag,
		"comma-separated checks to report: "+strings.Join(allChecks, ", "))
}

const doc = `report misuses of kinglet's query builders and ORM

kingletvet reports a builder result thrown away (builders are immutable),
a column or relation name the statically known model lacks, a bulk Update
or Delete run without Where or AllRows, and a raw SQL fragment whose ?
count differs from its arguments.`

// Check names, used as diagnostic categories and by the -checks flag.
const (
	catDiscard  = "discard"
	catColumns  = "columns"
	catRelation = "relations"
	catNoWhere  = "nowhere"
	catRawArgs  = "rawargs"
)

var allChecks = []string{catDiscard, catColumns, catRelation, catNoWhere, catRawArgs}

// parseChecks parses the -checks flag.
func parseChecks(s string) (map[string]bool, error) {
	on := map[string]bool{}
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		switch {
		case name == "":
		case slices.Contains(allChecks, name):
			on[name] = true
		default:
			return nil, fmt.Errorf("-checks: unknown check %q (want some of %s)", name, strings.Join(allChecks, ", "))
		}
	}
	return on, nil
}

// tableNameFact records the constant a model's TableName method returns, so
// that a model declared in another package has a known table name.
type tableNameFact struct{ Name string }

func (*tableNameFact) AFact()           {}
func (f *tableNameFact) String() string { return "tableName(" + f.Name + ")" }

// checker holds one pass's state.
type checker struct {
	pass     *analysis.Pass
	info     *types.Info
	models   map[string]*model
	vars     *varIndex
	reported map[token.Pos]bool
	on       map[string]bool             // the checks to report; nil: all
	uses     map[*types.Var][]*ast.Ident // see usesOf
	parents  map[ast.Node]ast.Node       // see parentMap
}

func run(pass *analysis.Pass) (any, error) {
	on, err := parseChecks(checksFlag)
	if err != nil {
		return nil, err
	}
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	c := newChecker(pass, ins)
	c.on = on
	ins.Preorder([]ast.Node{(*ast.ExprStmt)(nil), (*ast.CallExpr)(nil)}, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.ExprStmt:
			c.checkDiscard(n)
		case *ast.CallExpr:
			c.checkColumns(n)
			c.checkNoWhere(n)
			c.checkRaw(n)
		}
	})
	return nil, nil
}

// newChecker prepares the checks of pass: it exports the package's table
// name facts and indexes its variables.
func newChecker(pass *analysis.Pass, ins *inspector.Inspector) *checker {
	c := &checker{
		pass:     pass,
		info:     pass.TypesInfo,
		models:   map[string]*model{},
		reported: map[token.Pos]bool{},
	}
	c.exportTableNames(ins)
	c.vars = indexVars(pass.TypesInfo, pass.Files)
	return c
}

// exportTableNames records, for each TableName method of the package that
// returns a constant, the name it returns.
func (c *checker) exportTableNames(ins *inspector.Inspector) {
	ins.Preorder([]ast.Node{(*ast.FuncDecl)(nil)}, func(n ast.Node) {
		fd := n.(*ast.FuncDecl)
		if fd.Recv == nil || fd.Name.Name != "TableName" || fd.Body == nil || len(fd.Body.List) != 1 {
			return
		}
		fn, ok := c.info.Defs[fd.Name].(*types.Func)
		if !ok {
			return
		}
		sig := fn.Signature()
		if sig.Params().Len() != 0 || sig.Results().Len() != 1 ||
			!types.Identical(sig.Results().At(0).Type(), types.Typ[types.String]) {
			return
		}
		ret, ok := fd.Body.List[0].(*ast.ReturnStmt)
		if !ok || len(ret.Results) != 1 {
			return
		}
		if name, ok := constString(c.info, ret.Results[0]); ok && name != "" {
			c.pass.ExportObjectFact(fn, &tableNameFact{Name: name})
		}
	})
}

// report reports a diagnostic once per position.
func (c *checker) report(d analysis.Diagnostic) {
	if c.reported[d.Pos] || c.on != nil && !c.on[d.Category] {
		return
	}
	c.reported[d.Pos] = true
	c.pass.Report(d)
}

// qualifier writes package names, and nothing for the package under
// analysis.
func (c *checker) qualifier(p *types.Package) string {
	if p == c.pass.Pkg {
		return ""
	}
	return p.Name()
}
