package fields_test

import (
	"reflect"
	"testing"

	"github.com/kingletdb/kinglet/fields"
)

// Shipment names its constraints as a database made by hand might: a key
// over two columns (fk_name shared), a named one-column key, and checks
// with and without a name.
type Shipment struct {
	ID      int64  `db:"id,pk"`
	OrderID int64  `db:"order_id,fk:order_lines.order_id,fk_name:shipments_line_fkey,on_delete:cascade"`
	LineNo  int32  `db:"line_no,fk:order_lines.line_no,fk_name:shipments_line_fkey,check:line_no > 0,check_name:shipments_line_no_check"`
	Carrier int64  `db:"carrier_id,fk:carriers.id,fk_name:shipments_carrier_fkey"`
	Depot   *int64 `db:"depot_id,fk:depots.id,on_update:cascade"`
	Weight  int32  `db:"weight,check:weight >= 0"`
}

func TestConstraintNames(t *testing.T) {
	tab := mustTable[Shipment](t)
	equal(t, tab.ForeignKeys, []fields.ForeignKey{
		{Name: "shipments_line_fkey", Columns: []string{"order_id", "line_no"}, RefTable: "order_lines",
			RefColumns: []string{"order_id", "line_no"}, OnDelete: fields.ActionCascade},
		{Name: "shipments_carrier_fkey", Columns: []string{"carrier_id"}, RefTable: "carriers", RefColumns: []string{"id"}},
		{Name: "fk_shipments_depot_id", Columns: []string{"depot_id"}, RefTable: "depots", RefColumns: []string{"id"},
			OnUpdate: fields.ActionCascade},
	}, "ForeignKeys")
	order, _ := tab.FieldByColumn("order_id")
	line, _ := tab.FieldByColumn("line_no")
	equal(t, order.FK == &tab.ForeignKeys[0] && line.FK == &tab.ForeignKeys[0], true, "both columns of the composite key point at it")
	equal(t, tab.Checks, []string{"line_no > 0", "weight >= 0"}, "Checks")
	equal(t, tab.CheckNames, []string{"shipments_line_no_check", "ck_shipments_2"}, "CheckNames")
}

func TestConstraintNameErrors(t *testing.T) {
	i64 := reflect.TypeFor[int64]()
	for _, tc := range []struct {
		tag, suffix string
	}{
		{"f,fk_name:x", `.F: tag "fk_name:x": fk_name needs fk:table.column`},
		{"f,fk:u.id,fk_name:", `.F: tag "fk_name:": fk_name needs a value: fk_name:NAME`},
		{"f,check_name:x", `.F: tag "check_name:x": check_name needs check:EXPR`},
		{"f,check:f > 0,check_name:", `.F: tag "check_name:": check_name needs a value: check_name:NAME`},
		{"f,fk:u.id,fk_name:a,fk_name:b", `.F: tag "fk_name:b": option fk_name is given twice`},
	} {
		t.Run(tc.tag, func(t *testing.T) {
			_, err := oneField(i64, tc.tag)
			wantError(t, err, fields.ErrBadTag, tc.suffix)
		})
	}
	// The members of one key must agree.
	type otherTable struct {
		A int64 `db:"a,fk:x.a,fk_name:k"`
		B int64 `db:"b,fk:y.b,fk_name:k"`
	}
	_, err := fields.TableFor[otherTable]()
	wantError(t, err, fields.ErrBadTag, `otherTable.B: tag "fk_name:k": foreign key k refers to table x on an earlier field, not y`)
	type otherAction struct {
		A int64 `db:"a,fk:x.a,fk_name:k,on_delete:cascade"`
		B int64 `db:"b,fk:x.b,fk_name:k,on_delete:restrict"`
	}
	_, err = fields.TableFor[otherAction]()
	wantError(t, err, fields.ErrBadTag, `otherAction.B: tag "fk_name:k": foreign key k has on_delete:cascade on an earlier field, not restrict`)
}
