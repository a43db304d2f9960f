package orm

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The JSON strategy's readers: the times each engine's JSON holds, and the
// arrays of rows.

func TestParseJSONTime(t *testing.T) {
	utc := func(y, mo, d, h, mi, s, ns int) time.Time {
		return time.Date(y, time.Month(mo), d, h, mi, s, ns, time.UTC)
	}
	cases := []struct {
		in   string
		want time.Time
	}{
		{"2024-03-04T05:06:07+00:00", utc(2024, 3, 4, 5, 6, 7, 0)},                // PostgreSQL
		{"2024-03-04T05:06:07.123456+02:00", utc(2024, 3, 4, 3, 6, 7, 123456000)}, // another zone
		{"2024-03-04T05:06:07-05:30", utc(2024, 3, 4, 10, 36, 7, 0)},
		{"2024-03-04 05:06:07.000000", utc(2024, 3, 4, 5, 6, 7, 0)}, // MySQL DATETIME(6)
		{"2024-03-04 05:06:07+00:00", utc(2024, 3, 4, 5, 6, 7, 0)},  // SQLite as kinglet stores it
		{"2024-03-04 05:06:07.5Z", utc(2024, 3, 4, 5, 6, 7, 500000000)},
		{"2024-03-04 05:06:07+0100", utc(2024, 3, 4, 4, 6, 7, 0)},
		{"2024-03-04", utc(2024, 3, 4, 0, 0, 0, 0)}, // a DATE
		{"0000-00-00 00:00:00.000000", time.Time{}}, // MySQL's zero date
	}
	for _, c := range cases {
		got, err := parseJSONTime(c.in)
		require.NoError(t, err, c.in)
		require.True(t, c.want.Equal(got), "%s: %s, want %s", c.in, got, c.want)
		if !c.want.IsZero() {
			require.Equal(t, time.UTC, got.Location())
		}
	}
	for _, bad := range []string{"", "2024", "2024-03-04X05:06:07", "2024-03-04 05:06", "yesterday", "2024-03-04 05:06:07+1"} {
		_, err := parseJSONTime(bad)
		require.Error(t, err, bad)
	}
}

func TestJSONReaderRows(t *testing.T) {
	cases := []struct {
		name string
		in   string
		nf   int
		want [][]string // each value's text
		err  string
	}{
		{"empty", `[]`, 2, nil, ""},
		{"rows", `[[1, "a"], [2,"b\"c"]]`, 2, [][]string{{"1", "a"}, {"2", `b\"c`}}, ""},
		{"nulls_and_bools", `[[null, true, false, -1.5e3]]`, 4, [][]string{{"", "", "", "-1.5e3"}}, ""},
		{"nested", `[[1, [[2, "x"]], {"k": "]"}]]`, 3, [][]string{{"1", `[[2, "x"]]`, `{"k": "]"}`}}, ""},
		{"numbered_rows_put_in_order", `[[ "b", 2], ["a", 1], ["c", 3]]`, 1, [][]string{{"a"}, {"b"}, {"c"}}, ""},
		{"too_few_values", `[[1]]`, 2, nil, "1 values in a row of 2 columns"},
		{"not_an_array", `{"a": 1}`, 1, nil, "want an array"},
		{"unterminated", `[[1, "a]]`, 2, nil, "unterminated string"},
		{"bad_literal", `[[nul]]`, 1, nil, "bad literal"},
		{"bad_number_of_row", `[["a", "x"]]`, 1, nil, "row number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := jsonReader{b: []byte(c.in)}
			rows, err := r.rows(c.nf)
			if c.err != "" {
				require.ErrorContains(t, err, c.err)
				return
			}
			require.NoError(t, err)
			var got [][]string
			for _, row := range rows {
				var vals []string
				for _, v := range row.vals {
					vals = append(vals, string(v.text))
				}
				got = append(got, vals)
			}
			require.Equal(t, c.want, got)
		})
	}
	s, err := jsonVal{kind: '"', text: []byte(`\u00e9\n\"`), esc: true}.str()
	require.NoError(t, err)
	require.Equal(t, "é\n\"", s)
}
