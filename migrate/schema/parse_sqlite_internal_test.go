package schema

import (
	"reflect"
	"testing"
)

func TestParseSQLiteTable(t *testing.T) {
	def := parseSQLiteTable(`CREATE TABLE "t" ( -- a comment with ( and ,
		"id" INTEGER CONSTRAINT pk PRIMARY KEY AUTOINCREMENT,
		[a b] TEXT CONSTRAINT uq_ab UNIQUE CONSTRAINT ck_ab CHECK ([a b] <> 'x)'' ,'),
		c NUMERIC(10, 2) DEFAULT (1 + 2) REFERENCES other (id) ON DELETE CASCADE,
		d TEXT /* unique */ UNIQUE CHECK (length(d) > 0),
		e INT CONSTRAINT fk_e REFERENCES other,
		UNIQUE (c, d),
		CONSTRAINT uq_cd UNIQUE ("c" COLLATE NOCASE, d DESC),
		CONSTRAINT ck_t CHECK (c > 0 AND (d IS NULL OR d <> '')),
		CHECK (e IS NOT NULL),
		CONSTRAINT fk_cd FOREIGN KEY (c, d) REFERENCES other (x, y)
	) WITHOUT ROWID`)
	if !def.autoinc["id"] || len(def.autoinc) != 1 {
		t.Errorf("autoinc = %v, want only id", def.autoinc)
	}
	wantUniques := []namedCols{{"uq_ab", []string{"a b"}}, {"", []string{"d"}}, {"", []string{"c", "d"}}, {"uq_cd", []string{"c", "d"}}}
	if !reflect.DeepEqual(def.uniques, wantUniques) {
		t.Errorf("uniques = %v, want %v", def.uniques, wantUniques)
	}
	wantFKs := []namedCols{{"", []string{"c"}}, {"fk_e", []string{"e"}}, {"fk_cd", []string{"c", "d"}}}
	if !reflect.DeepEqual(def.fks, wantFKs) {
		t.Errorf("fks = %v, want %v", def.fks, wantFKs)
	}
	wantChecks := []Check{
		{"ck_ab", "[a b] <> 'x)'' ,'"},
		{"", "length(d) > 0"},
		{"ck_t", "c > 0 AND (d IS NULL OR d <> '')"},
		{"", "e IS NOT NULL"},
	}
	if !reflect.DeepEqual(def.checks, wantChecks) {
		t.Errorf("checks = %q, want %q", def.checks, wantChecks)
	}
	named := sqliteChecks("t", append(def.checks, Check{Name: "ck_t_2", Expr: "1"}))
	if got := []string{named[1].Name, named[3].Name}; !reflect.DeepEqual(got, []string{"ck_t_3", "ck_t_4"}) {
		t.Errorf("derived check names = %v, want ck_t_3 (ck_t_2 is taken), ck_t_4", got)
	}

	ix := parseSQLiteIndex(`CREATE UNIQUE INDEX "ix" ON "t" (lower("a b"), c DESC, "d") WHERE d IS NOT NULL AND c > 'where'`)
	if want := []string{`lower("a b")`, "c DESC", `"d"`}; !reflect.DeepEqual(ix.parts, want) {
		t.Errorf("parts = %q, want %q", ix.parts, want)
	}
	if want := "d IS NOT NULL AND c > 'where'"; ix.where != want {
		t.Errorf("where = %q, want %q", ix.where, want)
	}
	if def := parseSQLiteTable("CREATE TABLE t AS SELECT 1"); len(def.checks)+len(def.uniques)+len(def.fks) != 0 {
		t.Errorf("CREATE TABLE AS: %v", def)
	}
	parseSQLiteTable("CREATE TABLE t (a CHECK (") // unbalanced: no panic
	parseSQLiteIndex("CREATE INDEX i ON t (a")    // unbalanced: no panic
}
