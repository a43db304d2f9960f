package query

import (
	"bytes"
	"testing"

	"github.com/kingletdb/kinglet/dialect"
)

// ident writes a plain name that fits the buffer in place, and otherwise
// grows the buffer or lets the dialect quote it: every path must give what
// the dialect's AppendIdent gives, at every buffer fill.
func TestIdentEveryPath(t *testing.T) {
	for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL} {
		for _, name := range []string{"id", "a\"b", "a`b", string(bytes.Repeat([]byte("n"), 300)), "q\"" + string(bytes.Repeat([]byte("x"), 300))} {
			for fill := 0; fill < 20; fill++ {
				b := &Builder{buf: make([]byte, fill, fill+8)}
				b.setDialect(d)
				b.ident(name)
				want := string(d.AppendIdent(make([]byte, fill), name))
				if b.err != nil || string(b.buf) != want {
					t.Fatalf("%s: ident(%.10q…) after %d bytes = %.20q… %v, want %.20q…", d, name, fill, b.buf[fill:], b.err, want[fill:])
				}
			}
		}
	}
}
