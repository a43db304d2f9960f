package query

import (
	"github.com/kingletdb/kinglet/dialect"
	"testing"
)

func zzUpsert() InsertQuery {
	U := Table("users")
	return Insert(U).Columns("id", "username", "visits").Values(int64(1), "alice", 1).OnConflict(Conflict("id").DoUpdate(Assign("username", Excluded("username")), Assign("visits", U.C("visits").Add(1))))
}

var zzS string
var zzA []any
var zzI InsertQuery

func BenchmarkZZUpsertRender(b *testing.B) {
	q := zzUpsert()
	b.ReportAllocs()
	for b.Loop() {
		s, a, _ := q.Build(dialect.Postgres)
		zzS, zzA = s, a
	}
}
func BenchmarkZZUpsertConstruct(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		zzI = zzUpsert()
	}
}
