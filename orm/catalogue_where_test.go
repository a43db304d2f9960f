package orm_test

// catalogueWhere: §1 of issue 13: WHERE clauses that simplify to always-true on UPDATE and DELETE.
var catalogueWhere = []badCase{}
