package fields_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/kingletdb/kinglet/fields"
)

func TestOptions(t *testing.T) {
	str, i64, tm := reflect.TypeFor[string](), reflect.TypeFor[int64](), reflect.TypeFor[time.Time]()
	tests := []struct {
		name  string
		typ   reflect.Type
		tag   string
		check func(t *testing.T, f *fields.Field)
	}{
		{"default name", str, "", func(t *testing.T, f *fields.Field) { equal(t, f.Column, "f", "Column") }},
		{"empty name", str, ",size:3", func(t *testing.T, f *fields.Field) { equal(t, f.Column, "f", "Column") }},
		{"explicit name", str, "full_name", func(t *testing.T, f *fields.Field) { equal(t, f.Column, "full_name", "Column") }},
		{"spaces trimmed", str, " n , size:3 ", func(t *testing.T, f *fields.Field) {
			equal(t, f.Column, "n", "Column")
			equal(t, f.Size, 3, "Size")
		}},
		{"pk", i64, "id,pk", func(t *testing.T, f *fields.Field) {
			equal(t, f.PK, true, "PK")
			equal(t, f.Auto, true, "Auto")
			equal(t, f.ColumnType(), fields.ColumnType{Kind: fields.KindInt64, AutoInc: true, Key: true}, "ColumnType")
		}},
		{"pk noauto", i64, "id,pk,noauto", func(t *testing.T, f *fields.Field) {
			equal(t, f.PK, true, "PK")
			equal(t, f.Auto, false, "Auto")
		}},
		{"pk auto", reflect.TypeFor[int32](), "id,pk,auto", func(t *testing.T, f *fields.Field) { equal(t, f.Auto, true, "Auto") }},
		{"string pk not auto", str, "code,pk", func(t *testing.T, f *fields.Field) {
			equal(t, f.Auto, false, "Auto")
			equal(t, f.ColumnType().Key, true, "Key")
		}},
		{"null", str, "f,null", func(t *testing.T, f *fields.Field) { equal(t, f.Nullable, true, "Nullable") }},
		{"unique", str, "f,unique", func(t *testing.T, f *fields.Field) {
			equal(t, f.Unique, true, "Unique")
			equal(t, f.Indexed, true, "Indexed")
			equal(t, f.ColumnType().Key, true, "Key")
		}},
		{"size", str, "f,size:64", func(t *testing.T, f *fields.Field) {
			equal(t, f.ColumnType(), fields.ColumnType{Kind: fields.KindString, Size: 64}, "ColumnType")
		}},
		{"size bytes", reflect.TypeFor[[]byte](), "f,size:16", func(t *testing.T, f *fields.Field) { equal(t, f.Size, 16, "Size") }},
		{"decimal", str, "f,decimal:12:2", func(t *testing.T, f *fields.Field) {
			equal(t, f.ColumnType(), fields.ColumnType{Kind: fields.KindDecimal, Precision: 12, Scale: 2}, "ColumnType")
		}},
		{"decimal no scale", str, "f,decimal:9", func(t *testing.T, f *fields.Field) {
			equal(t, f.ColumnType(), fields.ColumnType{Kind: fields.KindDecimal, Precision: 9}, "ColumnType")
		}},
		{"decimal and kind", str, "f,kind:decimal,decimal:5:5", func(t *testing.T, f *fields.Field) { equal(t, f.Scale, 5, "Scale") }},
		{"type", str, "f,type:citext", func(t *testing.T, f *fields.Field) { equal(t, f.SQLType, "citext", "SQLType") }},
		{"type with comma", str, "f,type:numeric(10,2)", func(t *testing.T, f *fields.Field) { equal(t, f.SQLType, "numeric(10,2)", "SQLType") }},
		{"default", reflect.TypeFor[bool](), "f,default:true", func(t *testing.T, f *fields.Field) {
			equal(t, [3]any{f.Default, f.HasDefault, f.DefaultNow}, [3]any{"true", true, false}, "Default, HasDefault, DefaultNow")
		}},
		{"default now", tm, "f,default:now", func(t *testing.T, f *fields.Field) {
			equal(t, [3]any{f.Default, f.HasDefault, f.DefaultNow}, [3]any{"now", true, true}, "Default, HasDefault, DefaultNow")
		}},
		{"default now date", tm, "f,kind:date,default:now", func(t *testing.T, f *fields.Field) { equal(t, f.DefaultNow, true, "DefaultNow") }},
		{"default time", tm, "f,default:2024-01-02T03:04:05Z", func(t *testing.T, f *fields.Field) {
			equal(t, f.Default, "2024-01-02T03:04:05Z", "Default")
		}},
		{"default empty string", str, "f,default:", func(t *testing.T, f *fields.Field) {
			equal(t, [2]any{f.Default, f.HasDefault}, [2]any{"", true}, "Default, HasDefault")
		}},
		{"default quoted", str, "f,default:'a,b'", func(t *testing.T, f *fields.Field) { equal(t, f.Default, "a,b", "Default") }},
		{"default quoted quote", str, "f,default:'it''s'", func(t *testing.T, f *fields.Field) { equal(t, f.Default, "it's", "Default") }},
		{"default int", i64, "f,default:-42", func(t *testing.T, f *fields.Field) { equal(t, f.Default, "-42", "Default") }},
		{"default uint", reflect.TypeFor[uint8](), "f,default:255", func(t *testing.T, f *fields.Field) { equal(t, f.Default, "255", "Default") }},
		{"default float", reflect.TypeFor[float64](), "f,default:1.5e3", func(t *testing.T, f *fields.Field) { equal(t, f.Default, "1.5e3", "Default") }},
		{"default decimal", str, "f,decimal:5:2,default:-1.25", func(t *testing.T, f *fields.Field) { equal(t, f.Default, "-1.25", "Default") }},
		{"default json", reflect.TypeFor[map[string]int](), `f,json,default:'{"a":1}'`, func(t *testing.T, f *fields.Field) {
			equal(t, f.Default, `{"a":1}`, "Default")
		}},
		{"default custom nominal", reflect.TypeFor[Money](), "f,type:money,default:$1", func(t *testing.T, f *fields.Field) {
			equal(t, f.Default, "$1", "Default")
		}},
		{"index", str, "f,index", func(t *testing.T, f *fields.Field) {
			equal(t, [2]bool{f.Indexed, f.Unique}, [2]bool{true, false}, "Indexed, Unique")
		}},
		{"named unique index of one column", str, "f,unique_index:uq_f", func(t *testing.T, f *fields.Field) {
			equal(t, [2]bool{f.Indexed, f.Unique}, [2]bool{true, true}, "Indexed, Unique")
		}},
		{"fk", i64, "f,fk:users.id,on_delete:cascade,on_update:RESTRICT", func(t *testing.T, f *fields.Field) {
			equal(t, *f.FK, fields.ForeignKey{Name: "fk__f", Columns: []string{"f"}, RefTable: "users", RefColumns: []string{"id"},
				OnDelete: fields.ActionCascade, OnUpdate: fields.ActionRestrict}, "FK")
			equal(t, f.ColumnType().Key, true, "Key")
		}},
		{"fk set null", reflect.TypeFor[*int64](), "f,fk:users.id,on_delete:set_null,on_update:no-action", func(t *testing.T, f *fields.Field) {
			equal(t, [2]fields.Action{f.FK.OnDelete, f.FK.OnUpdate}, [2]fields.Action{fields.ActionSetNull, fields.ActionNoAction}, "actions")
		}},
		{"fk set default", i64, "f,default:0,fk:users.id,on_delete:Set Default", func(t *testing.T, f *fields.Field) {
			equal(t, f.FK.OnDelete, fields.ActionSetDefault, "OnDelete")
		}},
		{"check", i64, "f,check:f > 0", func(t *testing.T, f *fields.Field) { equal(t, f.Check, "f > 0", "Check") }},
		{"check with commas", str, "f,check:f IN ('a','b,c'),size:4", func(t *testing.T, f *fields.Field) {
			equal(t, f.Check, "f IN ('a','b,c')", "Check")
			equal(t, f.Size, 4, "Size")
		}},
		{"check with function", i64, "f,check:mod(f, 2) = 0", func(t *testing.T, f *fields.Field) { equal(t, f.Check, "mod(f, 2) = 0", "Check") }},
		{"tag kept", str, "f,size:3", func(t *testing.T, f *fields.Field) { equal(t, f.Tag, "f,size:3", "Tag") }},
		// The column name runs to the first comma as written: quotes and
		// parentheses in it are the name's.
		{"name with a double quote", str, `say "hi"`, func(t *testing.T, f *fields.Field) { equal(t, f.Column, `say "hi"`, "Column") }},
		{"name with a double quote and options", str, `a"b,size:3`, func(t *testing.T, f *fields.Field) {
			equal(t, f.Column, `a"b`, "Column")
			equal(t, f.Size, 3, "Size")
		}},
		{"name with a single quote", str, "it's,null", func(t *testing.T, f *fields.Field) { equal(t, f.Column, "it's", "Column") }},
		{"name with a parenthesis", str, "f(x", func(t *testing.T, f *fields.Field) { equal(t, f.Column, "f(x", "Column") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := oneField(tc.typ, tc.tag)
			noError(t, err)
			tc.check(t, f)
		})
	}
}

func TestOptionErrors(t *testing.T) {
	str, i64 := reflect.TypeFor[string](), reflect.TypeFor[int64]()
	tests := []struct {
		typ    reflect.Type
		tag    string
		suffix string
	}{
		{str, "f,size:abc", `.F: tag "size:abc": size must be a positive integer`},
		{str, "f,size:0", `.F: tag "size:0": size must be a positive integer`},
		{str, "f,size", `.F: tag "size": size needs a value: size:N`},
		{str, "f,frob", `.F: tag "frob": unknown option "frob"`},
		{str, "f,Unique", `.F: tag "Unique": unknown option "Unique"`},
		{str, "f,pk:yes", `.F: tag "pk:yes": pk takes no value`},
		{str, "f,null,null", `.F: tag "null": option null is given twice`},
		{str, "f,,null", `.F: tag "f,,null": empty option`},
		{str, "-,null", `.F: tag "-,null": "-" skips the field and takes no options`},
		// A column name cannot hold a comma: the rest is taken as options.
		{str, "last,first", `.F: tag "first": unknown option "first"`},
		{str, `a"b,check:(a`, `.F: tag "check:(a": unbalanced parenthesis or quote`},
		{str, "f,check:(a", `.F: tag "check:(a": unbalanced parenthesis or quote`},
		{str, "f,check:a)", `.F: tag "check:a)": unbalanced parenthesis`},
		{str, "f,default:'a", `.F: tag "default:'a": unbalanced parenthesis or quote`},
		{str, "f,decimal:0", `.F: tag "decimal:0": decimal needs decimal:P or decimal:P:S with 1 <= P <= 1000 and 0 <= S <= P`},
		{str, "f,decimal:5:6", `.F: tag "decimal:5:6": decimal needs decimal:P or decimal:P:S with 1 <= P <= 1000 and 0 <= S <= P`},
		{str, "f,decimal:x:1", `.F: tag "decimal:x:1": decimal needs decimal:P or decimal:P:S with 1 <= P <= 1000 and 0 <= S <= P`},
		{reflect.TypeFor[bool](), "f,decimal:5", `.F: tag "decimal:5": a decimal column does not fit Go type bool`},
		{str, "f,kind:decimal,decimal:5:5,kind:json", `.F: tag "kind:json": option kind is given twice`},
		{str, "f,kind:int64,decimal:5", `.F: tag "kind:int64": kind:int64 contradicts decimal`},
		{str, "f,kind:blob", `.F: tag "kind:blob": unknown kind "blob"`},
		{i64, "f,kind:uuid", `.F: tag "kind:uuid": a uuid column does not fit Go type int64`},
		{str, "f,kind:time", `.F: tag "kind:time": a time column does not fit Go type string`},
		{str, "f,json,decimal:3", `.F: tag "decimal:3": decimal and json exclude each other`},
		{str, "f,json,kind:uuid", `.F: tag "kind:uuid": kind:uuid and json exclude each other`},
		{str, "f,type:", `.F: tag "type:": type needs a value: type:SQL`},
		{str, "f,check:", `.F: tag "check:": check needs a value: check:EXPR`},
		{str, "f,index:", `.F: tag "index:": empty index name`},
		{str, "f,default", `.F: tag "default": default needs a value: default:VALUE`},
		{i64, "f,default:abc", `.F: tag "default:abc": default is not a valid int64`},
		{reflect.TypeFor[uint8](), "f,default:256", `.F: tag "default:256": default is not a valid uint8`},
		{reflect.TypeFor[bool](), "f,default:yes", `.F: tag "default:yes": default is not a valid bool`},
		{reflect.TypeFor[float32](), "f,default:x", `.F: tag "default:x": default is not a valid float32`},
		{str, "f,decimal:4,default:1.", `.F: tag "default:1.": default must be a decimal number`},
		{str, "f,default:now", `.F: tag "default:now": default:now needs a time or date column`},
		{reflect.TypeFor[time.Time](), "f,default:yesterday", `.F: tag "default:yesterday": default must be now, an RFC 3339 time, 2006-01-02 15:04:05 or 2006-01-02`},
		{reflect.TypeFor[time.Time](), "f,kind:date,default:2024-01-02 10:00:00", `.F: tag "default:2024-01-02 10:00:00": default must be now or a date 2006-01-02`},
		{reflect.TypeFor[map[string]int](), "f,json,default:{", `.F: tag "default:{": default must be valid JSON`},
		{i64, "f,size:10", `.F: tag "size:10": size applies to string and bytes columns, not int64`},
		{i64, "f,fk:users", `.F: tag "fk:users": fk needs fk:table.column`},
		{i64, "f,fk:a.b.c", `.F: tag "fk:a.b.c": fk needs fk:table.column`},
		{i64, "f,fk:.id", `.F: tag "fk:.id": fk needs fk:table.column`},
		{i64, "f,on_delete:cascade", `.F: tag "on_delete:cascade": on_delete needs fk:table.column`},
		{i64, "f,on_update:cascade", `.F: tag "on_update:cascade": on_update needs fk:table.column`},
		{i64, "f,fk:u.id,on_delete:explode", `.F: tag "on_delete:explode": unknown action "explode" (want cascade, restrict, set null, set default or no action)`},
		{i64, "f,fk:u.id,on_delete:set null", `.F: tag "on_delete:set null": set null needs a nullable column`},
		{i64, "f,fk:u.id,on_update:set default", `.F: tag "on_update:set default": set default needs default:VALUE`},
		{i64, "f,pk,null", `.F: tag "null": a primary key cannot be null`},
		{i64, "f,auto", `.F: tag "auto": auto applies to a primary key`},
		{i64, "f,noauto", `.F: tag "noauto": noauto applies to a primary key`},
		{i64, "f,pk,auto,noauto", `.F: tag "noauto": auto and noauto exclude each other`},
		{str, "f,pk,auto", `.F: tag "auto": auto needs an integer column, not string`},
	}
	for _, tc := range tests {
		t.Run(tc.tag, func(t *testing.T) {
			_, err := oneField(tc.typ, tc.tag)
			wantError(t, err, fields.ErrBadTag, tc.suffix)
		})
	}
}

func TestActionString(t *testing.T) {
	for a, want := range map[fields.Action]string{
		fields.ActionUnset: "", fields.ActionNoAction: "no action", fields.ActionRestrict: "restrict",
		fields.ActionCascade: "cascade", fields.ActionSetNull: "set null", fields.ActionSetDefault: "set default",
		fields.Action(99): "action(99)",
	} {
		equal(t, a.String(), want, "Action.String")
	}
}
