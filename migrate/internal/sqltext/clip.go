package sqltext

import "strings"

// Clip shortens s to about n bytes for messages, on one line.
func Clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 { // not inside a UTF-8 character
		cut--
	}
	return s[:cut] + "…"
}
