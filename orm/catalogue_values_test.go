package orm_test

// catalogueValues: §3 of issue 13: values the engine would store but not give back.
var catalogueValues = []badCase{}
