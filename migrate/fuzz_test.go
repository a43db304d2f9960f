package migrate

import (
	"strings"
	"testing"

	"github.com/kingletdb/kinglet/dialect"
)

// FuzzSplit checks, for each engine's syntax, that splitting never panics
// and never loses or invents SQL: the statement and comment spans are
// in order and do not overlap, every byte outside them is whitespace or a
// separating semicolon, so that joining the statements and the comments
// gives back all non-whitespace content but those semicolons; a comment span
// is shaped like a comment; a statement is trimmed and non-empty; and
// splitting the statements joined again yields the same statements.
func FuzzSplit(f *testing.F) {
	for _, c := range splitCases {
		f.Add(c.src)
	}
	for _, s := range []string{
		"SELECT 1; -- x\n/* y */ # z\nSELECT 2", "$$;$$;$a$;$a$", "E'\\';'", "CREATE TRIGGER t BEGIN CASE END; END; x",
		"CREATE PROCEDURE p() BEGIN IF a THEN b; END IF; END;", "'\\", "/*/", "--", "#", "/*!;*/;", "`;`;\"\\\"\";",
	} {
		f.Add(s)
	}
	syntaxes := []syntax{syntaxFor(dialect.SQLite), syntaxFor(dialect.Postgres), syntaxFor(dialect.MySQL)}
	f.Fuzz(func(t *testing.T, src string) {
		for _, sx := range syntaxes {
			spans, err := scan(sx, src)
			if err != nil {
				continue
			}
			checkSpans(t, sx, src, spans)
			stmts, _ := splitStatements(sx, src)
			joined := make([]string, len(stmts))
			for i, s := range stmts {
				if sx.mysql && strings.HasSuffix(s.sql, "-") {
					// MySQL reads -- as a comment only before a space or
					// the end, so "x--" cut from "x--;" changes meaning;
					// no valid statement ends that way.
					return
				}
				joined[i] = s.sql
			}
			again, err := splitStatements(sx, strings.Join(joined, "\n;\n"))
			if err != nil {
				t.Fatalf("%+v: re-splitting %q: %v", sx, joined, err)
			}
			if len(again) != len(stmts) {
				t.Fatalf("%+v: %q split into %d statements, joined again into %d: %+v", sx, src, len(stmts), len(again), again)
			}
			for i := range again {
				if again[i].sql != stmts[i].sql {
					t.Fatalf("%+v: statement %d changed when split again: %q → %q", sx, i, stmts[i].sql, again[i].sql)
				}
			}
		}
	})
}

func checkSpans(t *testing.T, sx syntax, src string, spans []span) {
	t.Helper()
	pos := 0
	var kept, whole strings.Builder // the spans; src without separating semicolons
	for _, s := range spans {
		if s.start < pos || s.end < s.start || s.end > len(src) {
			t.Fatalf("%+v: %q: span %+v out of order (after %d)", sx, src, s, pos)
		}
		gap(t, sx, src[pos:s.start], &whole)
		text := src[s.start:s.end]
		if s.line != 1+strings.Count(src[:s.start], "\n") {
			t.Fatalf("%+v: %q: span %q says line %d", sx, src, text, s.line)
		}
		switch {
		case s.comment && strings.HasPrefix(text, "/*"):
			if !strings.HasSuffix(text, "*/") || len(text) < 4 {
				t.Fatalf("%+v: %q: block comment %q not closed", sx, src, text)
			}
		case s.comment && (strings.HasPrefix(text, "--") || sx.mysql && strings.HasPrefix(text, "#")):
			if strings.Contains(text, "\n") || s.end < len(src) && src[s.end] != '\n' {
				t.Fatalf("%+v: %q: line comment %q does not end at a newline", sx, src, text)
			}
		case s.comment:
			t.Fatalf("%+v: %q: comment span %q is no comment", sx, src, text)
		case text == "" || isSpace(text[0]) || isSpace(text[len(text)-1]):
			t.Fatalf("%+v: %q: statement %q is empty or not trimmed", sx, src, text)
		}
		kept.WriteString(text)
		whole.WriteString(text)
		pos = s.end
	}
	gap(t, sx, src[pos:], &whole)
	if got, want := nonSpace(kept.String()), nonSpace(whole.String()); got != want {
		t.Fatalf("%+v: %q: content lost: kept %q, want %q", sx, src, got, want)
	}
}

// gap checks that g, text between spans, holds only whitespace and
// separating semicolons, and copies it without them to whole.
func gap(t *testing.T, sx syntax, g string, whole *strings.Builder) {
	t.Helper()
	for i := 0; i < len(g); i++ {
		switch c := g[i]; {
		case c == ';':
		case isSpace(c):
			whole.WriteByte(c)
		default:
			t.Fatalf("%+v: byte %q in %q is in no statement or comment", sx, c, g)
		}
	}
}

func nonSpace(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if !isSpace(s[i]) {
			b = append(b, s[i])
		}
	}
	return string(b)
}
