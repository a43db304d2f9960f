package orm_test

// catalogueColumns: §2 of issue 13: unknown columns caught before the database.
var catalogueColumns = []badCase{}
