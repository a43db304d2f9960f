package orm_test

// catalogueRoundTrip: §4 of issue 13: round trips (Get → Update of an unchanged row, nil on nullable handles).
var catalogueRoundTrip = []badCase{}
