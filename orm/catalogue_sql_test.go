package orm_test

// catalogueSQL: §5 of issue 13: never SQL the server rejects.
var catalogueSQL = []badCase{}
