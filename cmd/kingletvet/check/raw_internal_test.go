package check

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/query"
)

// TestCountMarksAgreesWithRaw holds countMarks to query.Raw itself: for
// each text, Raw with n arguments builds on an engine exactly when
// countMarks, read for that engine, counts n ? and finds no $1. The texts
// are the tricky cases by hand and random ones made of the pieces that
// change how SQL is read.
func TestCountMarksAgreesWithRaw(t *testing.T) {
	texts := []string{
		"", "?", "? + ?", "lower(?)", "'?'", `"?"`, "`?`", "a -- ?\n?", "a --?\n?", "/* ? */ ?", "/* /* ? */ ? */ ?",
		"$$ ? $$ ?", "$t$ ? $t$ ?", "$1", "'$1' ?", "E'\\' ?' ?", `'\'' ?`, "# ?\n?", "/*! ? */ ?", "/*M! ? */ ?",
		"?? ?", "x$1 ?", "a$ ? $a", "5--?", "'it''s ?' ?", `"a""?" ?`, "-- ?", "/* ?", "'?", "$$ ?",
	}
	pieces := []string{"?", "?", "'", `"`, "`", "--", "-- ", " ", "\n", "/*", "*/", "#", `\`, "$$", "$a$", "$1",
		"E'", "x", "5", "??", "/*!", "-", "/", "*", "(", ")"}
	r := rand.New(rand.NewPCG(17, 3))
	for range 3000 {
		var b strings.Builder
		for range 1 + r.IntN(10) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	engines := []struct {
		d     dialect.Dialect
		mysql bool
	}{{dialect.SQLite, false}, {dialect.Postgres, false}, {dialect.MySQL, true}, {dialect.MariaDB, true}}
	for _, text := range texts {
		for _, e := range engines {
			n, dollar, open := countMarks(text, e.mysql)
			literal := strings.Contains(text, "??") && e.d.Name() != "postgres" // ?? cannot be written where ? is the placeholder
			for args := 0; args <= 4; args++ {
				vals := make([]any, args)
				for i := range vals {
					vals[i] = i
				}
				_, _, err := query.Build(e.d, query.Select(query.Raw(text, vals...)))
				want := n == args && dollar == "" && open == ""
				if literal && err != nil {
					continue
				}
				if (err == nil) != want {
					t.Errorf("%s: Raw(%q) with %d argument(s): build error %v; countMarks says %d ?, dollar %q, open %q",
						e.d.Name(), text, args, err, n, dollar, open)
				}
			}
		}
	}
}
