package dialect

import (
	"strconv"
	"strings"
)

const hexDigits = "0123456789abcdef"

// appendQuoted appends s between q characters, doubling any q inside it.
func appendQuoted(b []byte, s string, q byte) []byte {
	if strings.IndexByte(s, q) < 0 { // the common case: nothing to double
		b = append(b, q)
		b = append(b, s...)
		return append(b, q)
	}
	b = append(b, q)
	for i := 0; i < len(s); i++ {
		if s[i] == q {
			b = append(b, q)
		}
		b = append(b, s[i])
	}
	return append(b, q)
}

func appendHex(b []byte, v []byte) []byte {
	for _, c := range v {
		b = append(b, hexDigits[c>>4], hexDigits[c&15])
	}
	return b
}

func appendXBlob(b []byte, v []byte) []byte {
	b = append(b, "X'"...)
	b = appendHex(b, v)
	return append(b, '\'')
}

func appendQuestion(b []byte, _ int) []byte { return append(b, '?') }

// AppendDollar appends $n, PostgreSQL's n-th placeholder (Marks.Placeholder
// '$'). The short numbers every statement has are written digit by digit:
// strconv's general path costs more than the rest of a placeholder in a
// many-row INSERT.
func AppendDollar(b []byte, n int) []byte {
	switch {
	case n >= 1 && n < 10:
		return append(b, '$', byte('0'+n))
	case n >= 10 && n < 100:
		return append(b, '$', byte('0'+n/10), byte('0'+n%10))
	case n >= 100 && n < 1000:
		return append(b, '$', byte('0'+n/100), byte('0'+n/10%10), byte('0'+n%10))
	}
	b = append(b, '$')
	return strconv.AppendInt(b, int64(n), 10)
}

func appendBoolWord(b []byte, v bool) []byte {
	if v {
		return append(b, "TRUE"...)
	}
	return append(b, "FALSE"...)
}

// sized returns base(n) for n > 0 and base otherwise.
func sized(base string, n int) string {
	if n > 0 {
		return base + "(" + strconv.Itoa(n) + ")"
	}
	return base
}

func decimal(base string, p, s int) string {
	if p <= 0 {
		return base
	}
	return base + "(" + strconv.Itoa(p) + "," + strconv.Itoa(s) + ")"
}
