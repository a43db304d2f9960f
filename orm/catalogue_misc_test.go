package orm_test

// catalogueMisc: §8 of issue 13 and other cases.
var catalogueMisc = []badCase{}
