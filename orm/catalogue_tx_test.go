package orm_test

// catalogueTx: §6 and §7 of issue 13: transactions under contention and error classification.
var catalogueTx = []badCase{}
