package query

import "testing"

var sinkEx Ex
var sinkT TableRef
var sinkQ SelectQuery

func BenchmarkMicroColumn(b *testing.B) {
	t := Table("users")
	for b.Loop() {
		sinkEx = t.C("id")
	}
}
func BenchmarkMicroTableAs(b *testing.B) {
	for b.Loop() {
		sinkT = Table("users").As("u")
	}
}
func BenchmarkMicroEq(b *testing.B) {
	c := C("id")
	for b.Loop() {
		sinkEx = c.Eq(true)
	}
}
func BenchmarkMicroChain(b *testing.B) {
	U := Table("users").As("u")
	T := Table("tweets").As("t")
	c1, c2, c3 := U.C("id"), U.C("username"), T.C("content")
	on := T.C("user_id").Eq(U.C("id"))
	w1, w2, w3 := U.C("active").Eq(true), T.C("created_at").Gt(5), U.C("username").Like("a%")
	o := T.C("created_at").Desc()
	for b.Loop() {
		sinkQ = Select(c1, c2, c3).From(U).Join(T, on).Where(w1, w2, w3).OrderBy(o).Limit(20)
	}
}
func BenchmarkMicroChainNoLists(b *testing.B) {
	q := Select()
	for b.Loop() {
		sinkQ = q.Distinct().Limit(20).Offset(3).Distinct().Limit(20).Offset(3)
	}
}
