package fields_test

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kingletdb/kinglet/fields"
)

type prefs struct {
	Theme string   `json:"theme"`
	Langs []string `json:"langs,omitempty"`
}

// Both interfaces are satisfied where database/sql looks for them.
var (
	_ driver.Valuer = fields.JSON[int]{}
	_ sql.Scanner   = (*fields.JSON[int])(nil)
)

func TestJSONValue(t *testing.T) {
	v, err := fields.JSON[prefs]{V: prefs{Theme: "dark", Langs: []string{"en", "fr"}}}.Value()
	noError(t, err)
	equal(t, v, driver.Value(`{"theme":"dark","langs":["en","fr"]}`), "Value")

	v, err = fields.JSON[map[string]int]{}.Value()
	noError(t, err)
	equal(t, v, driver.Value("null"), "Value of nil map")

	_, err = fields.JSON[chan int]{V: make(chan int)}.Value()
	if err == nil || !strings.HasPrefix(err.Error(), "kinglet: fields: JSON[chan int].Value: json: unsupported type") {
		t.Errorf("Value of a channel: %v", err)
	}
}

func TestJSONScan(t *testing.T) {
	tests := []struct {
		name string
		src  any
		want prefs
		err  string
	}{
		{"bytes", []byte(`{"theme":"dark"}`), prefs{Theme: "dark"}, ""},
		{"string", `{"theme":"light","langs":["de"]}`, prefs{Theme: "light", Langs: []string{"de"}}, ""},
		{"NULL", nil, prefs{}, ""},
		{"empty", []byte{}, prefs{}, ""},
		{"JSON null", "null", prefs{}, ""},
		{"bad JSON", `{"theme":`, prefs{}, "kinglet: fields: JSON[fields_test.prefs].Scan: unexpected end of JSON input"},
		{"wrong JSON type", `[1]`, prefs{}, "kinglet: fields: JSON[fields_test.prefs].Scan: json: cannot unmarshal array into Go value of type fields_test.prefs"},
		{"int", int64(3), prefs{}, "kinglet: fields: JSON[fields_test.prefs].Scan: cannot scan int64 into JSON (want []byte or string)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Start from a dirty value: Scan must not merge into it.
			j := fields.JSON[prefs]{V: prefs{Theme: "old", Langs: []string{"xx"}}}
			err := j.Scan(tc.src)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("Scan error = %v, want %s", err, tc.err)
				}
				return
			}
			noError(t, err)
			equal(t, j.V, tc.want, "V")
		})
	}
}

func TestJSONScanResetsMap(t *testing.T) {
	j := fields.JSON[map[string]int]{V: map[string]int{"stale": 1}}
	noError(t, j.Scan(`{"a":1}`))
	equal(t, j.V, map[string]int{"a": 1}, "V")
}

func TestJSONRoundTrip(t *testing.T) {
	in := fields.JSON[[]prefs]{V: []prefs{{Theme: "a"}, {Theme: "b", Langs: []string{"x"}}}}
	v, err := in.Value()
	noError(t, err)
	var out fields.JSON[[]prefs]
	noError(t, out.Scan(v))
	equal(t, out, in, "round trip through Value and Scan")
	noError(t, out.Scan([]byte(v.(string))))
	equal(t, out, in, "round trip with []byte")
}

func TestJSONMarshalsAsItsValue(t *testing.T) {
	type resp struct {
		Tags fields.JSON[[]string] `json:"tags"`
	}
	b, err := json.Marshal(resp{Tags: fields.JSON[[]string]{V: []string{"a"}}})
	noError(t, err)
	equal(t, string(b), `{"tags":["a"]}`, "json.Marshal")
	var r resp
	noError(t, json.Unmarshal(b, &r))
	equal(t, r.Tags.V, []string{"a"}, "json.Unmarshal")
}
