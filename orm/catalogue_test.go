package orm_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
)

// The bad-input catalogue: misuses of the public API, each run on every
// engine it applies to, each asserting the named error it must give (or, for
// a case that must work, the exact round trip inside its run). A case that
// used to be a silent wrong result — rows deleted, data stored that cannot be
// read back, SQL the server rejects — stays here so that the class stays
// closed. The cases live in catalogue_<area>_test.go, one slice per area.

// badCase is one entry of the catalogue.
type badCase struct {
	name string
	// engines lists the engines the case applies to ("sqlite", "postgres",
	// "mysql"); empty means all three.
	engines []string
	// models are created (CreateTables) before run, in a fresh database.
	models []any
	// run misuses the API and returns the error it gave. It may assert more
	// itself (that no row was touched, that a value round-tripped).
	run func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error
	// want is the sentinel errors.Is must find in run's error; nil means run
	// must succeed.
	want error
	// mention are substrings the error's message must contain: the table,
	// column, field, value or engine that was wrong.
	mention []string
}

// catalogue is every area's cases.
func catalogue() []badCase {
	return slices.Concat(
		catalogueWhere,
		catalogueColumns,
		catalogueValues,
		catalogueRoundTrip,
		catalogueSQL,
		catalogueTx,
		catalogueMisc,
	)
}

// minCatalogue is the least number of cases the catalogue must hold.
const minCatalogue = 100

// TestBadInputCatalogueSize holds the catalogue to its size.
func TestBadInputCatalogueSize(t *testing.T) {
	if n := len(catalogue()); n < minCatalogue {
		t.Errorf("the catalogue has %d cases, want at least %d", n, minCatalogue)
	}
}

func TestBadInputCatalogue(t *testing.T) {
	cases := catalogue()
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Errorf("two catalogue cases are named %q", c.name)
		}
		seen[c.name] = true
		if c.run == nil {
			t.Errorf("catalogue case %q has no run", c.name)
		}
		if c.want == nil && len(c.mention) > 0 {
			t.Errorf("catalogue case %q must succeed but lists words its error must mention", c.name)
		}
		if c.want != nil && len(c.mention) == 0 {
			t.Errorf("catalogue case %q names no word its error must mention (the table, column, field, value or engine)", c.name)
		}
	}
	for _, path := range testdb.Paths() { // PostgreSQL on both of kinglet's paths
		t.Run(path, func(t *testing.T) {
			for _, c := range cases {
				if len(c.engines) > 0 && !slices.Contains(c.engines, testdb.EngineOf(path)) {
					continue
				}
				t.Run(c.name, func(t *testing.T) {
					runCase(t, path, c)
				})
			}
		})
	}
}

func runCase(t *testing.T, path string, c badCase) {
	tdb := testdb.Open(t, path)
	db := ormDB(t, tdb)
	ctx := t.Context()
	if len(c.models) > 0 {
		if err := db.CreateTables(ctx, c.models...); err != nil {
			t.Fatalf("CreateTables: %v", err)
		}
	}
	err := c.run(t, ctx, db, tdb)
	if c.want == nil {
		if err != nil {
			t.Fatalf("want success, got %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("want an error wrapping %q, got none", c.want)
	}
	if !errors.Is(err, c.want) {
		t.Fatalf("want an error wrapping %q, got %v", c.want, err)
	}
	msg := err.Error()
	for _, m := range c.mention {
		if !strings.Contains(msg, m) {
			t.Errorf("the error %q does not mention %q", msg, m)
		}
	}
}

// on lists the engines a case applies to.
func on(engines ...string) []string { return engines }
