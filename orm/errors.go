package orm

import (
	"fmt"
	"strings"
)

// errorf is fmt.Errorf for the ORM's messages, which start "kinglet: orm: "
// and often end with a wrapped error that has a kinglet prefix of its own
// (ErrNotFound, a query or fields error): its message says "kinglet:" once,
// dropping the inner errors' "kinglet: <package>: " (so "kinglet: orm: users
// with key [999]: not found", not "…: kinglet: orm: not found"). The error
// unwraps as fmt.Errorf's does; the message is assembled only when asked
// for (Error), so an error tested with errors.Is and dropped costs one
// small allocation more than fmt.Errorf's.
func errorf(format string, args ...any) error {
	return onePrefix{fmt.Errorf(format, args...)}
}

type onePrefix struct{ err error }

func (e onePrefix) Error() string { return onePrefixed(e.err.Error()) }
func (e onePrefix) Unwrap() error { return e.err }

// kingletPrefix starts every kinglet error message.
const kingletPrefix = "kinglet: "

// onePrefixed removes from msg every "kinglet: " after the first, with the
// package name that follows it ("kinglet: fields: ", "kinglet: query: ").
func onePrefixed(msg string) string {
	first := strings.Index(msg, kingletPrefix)
	if first < 0 {
		return msg
	}
	head, rest := msg[:first+len(kingletPrefix)], msg[first+len(kingletPrefix):]
	if strings.Index(rest, kingletPrefix) < 0 {
		return msg
	}
	var b strings.Builder
	b.Grow(len(msg))
	b.WriteString(head)
	for {
		i := strings.Index(rest, kingletPrefix)
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		b.WriteString(rest[:i])
		rest = rest[i+len(kingletPrefix):]
		if j := strings.Index(rest, ": "); j > 0 && isPackageName(rest[:j]) {
			rest = rest[j+2:]
		}
	}
}

// isPackageName reports whether s names one of kinglet's packages, as its
// error messages do after "kinglet: ".
func isPackageName(s string) bool {
	switch s {
	case "orm", "fields", "query", "dialect", "migrate":
		return true
	}
	return false
}
