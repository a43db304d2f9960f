package check

import (
	"go/types"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kingletdb/kinglet/fields"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/packages"
)

// agRefused are the models of models_test.go that package fields refuses
// (besides the agBad ones).
var agRefused = []string{"agTwoNames", "agEmbedTagged", "agNoColumns", "agUnexportedTag"}

// TestModelsAgreeWithFields reads the models of models_test.go as the
// analyzer does (from go/types) and as kinglet does (fields.TableOf, by
// reflection), and requires the same table name, columns and relations, or
// that the analyzer declines a model that fields refuses.
func TestModelsAgreeWithFields(t *testing.T) {
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo, Tests: true}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		t.Fatal(err)
	}
	var pkg *packages.Package
	for _, p := range pkgs {
		if p.Types != nil && p.Types.Scope().Lookup("agreeModels") != nil {
			pkg = p
		}
	}
	if pkg == nil || len(pkg.Errors) > 0 {
		t.Fatalf("loading the test package: %v", pkgs)
	}
	facts := map[types.Object]analysis.Fact{}
	pass := &analysis.Pass{
		Pkg: pkg.Types, TypesInfo: pkg.TypesInfo, Files: pkg.Syntax, Fset: pkg.Fset,
		ExportObjectFact: func(obj types.Object, f analysis.Fact) { facts[obj] = f },
		ImportObjectFact: func(obj types.Object, f analysis.Fact) bool {
			got, ok := facts[obj]
			if ok {
				*f.(*tableNameFact) = *got.(*tableNameFact)
			}
			return ok
		},
	}
	c := newChecker(pass, inspector.New(pkg.Syntax))
	for name, v := range agreeModels {
		t.Run(name, func(t *testing.T) {
			obj := pkg.Types.Scope().Lookup(name)
			typ := obj.Type()
			if n := named(typ); n.TypeParams().Len() > 0 {
				inst, err := types.Instantiate(nil, n, []types.Type{types.Typ[types.String]}, true)
				if err != nil {
					t.Fatal(err)
				}
				typ = inst
			}
			m := c.modelOf(typ)
			ft, ferr := fields.TableOf(reflect.TypeOf(v))
			if refused := strings.HasPrefix(name, "agBad") || slices.Contains(agRefused, name); refused != (ferr != nil) {
				t.Fatalf("fields.TableOf: %v; the test expects it to refuse the model: %v", ferr, refused)
			}
			if ferr == nil {
				t.Logf("table %s, columns %v", ft.Name, ft.Columns())
			}
			switch {
			case ferr != nil && m != nil:
				t.Fatalf("fields refuses the model (%v), the analyzer reads columns %v", ferr, m.columns)
			case ferr != nil:
				return
			case m == nil:
				t.Fatalf("the analyzer declines a model fields reads: table %s, columns %v", ft.Name, ft.Columns())
			}
			if name == "agComputed" {
				if m.table != "" {
					t.Errorf("table %q, want unknown (TableName is not a constant)", m.table)
				}
			} else if m.table != ft.Name {
				t.Errorf("table %q, fields says %q", m.table, ft.Name)
			}
			if !slices.Equal(m.columns, ft.Columns()) {
				t.Errorf("columns %v, fields says %v", m.columns, ft.Columns())
			}
			var rels []string
			for _, r := range ft.Relations {
				rels = append(rels, r.Name)
				target := c.modelOf(m.rels[r.Name])
				if target == nil || target.name != r.Target.Name() {
					t.Errorf("relation %s: target %v, fields says %s", r.Name, target, r.Target)
				}
			}
			if !slices.Equal(m.relList, rels) {
				t.Errorf("relations %v, fields says %v", m.relList, rels)
			}
			for goName, col := range m.byGo {
				if f, ok := ft.FieldByName(goName); !ok || f.Column != col {
					t.Errorf("field %s -> column %s, fields says %v", goName, col, f)
				}
			}
		})
	}
}

func TestParseChecks(t *testing.T) {
	on, err := parseChecks(" discard,rawargs ,")
	if err != nil || len(on) != 2 || !on[catDiscard] || !on[catRawArgs] {
		t.Errorf("parseChecks: %v, %v", on, err)
	}
	if on, err := parseChecks(checksFlag); err != nil || len(on) != len(allChecks) {
		t.Errorf("the default: %v, %v", on, err)
	}
	if _, err := parseChecks("discard,colums"); err == nil || !strings.Contains(err.Error(), `"colums"`) {
		t.Errorf("an unknown check: %v", err)
	}
}
