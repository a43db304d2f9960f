package orm

// SetMaxParams lowers the bound parameter limit InsertMany batches under, so
// that tests can see several batches with few rows; 0 restores the dialect's
// limit. It returns a function that restores the previous value.
func SetMaxParams(n int) (restore func()) {
	old := maxParamsOverride.Swap(int64(n))
	return func() { maxParamsOverride.Store(old) }
}

// ScanPlanFor returns the cached scan plan of T for the result columns, as
// an opaque pointer to compare.
func ScanPlanFor[T any](cols []string) any {
	t, err := tableOf[T]()
	if err != nil {
		panic(err)
	}
	p, err := planFor(t, cols, true)
	if err != nil {
		panic(err)
	}
	return p
}
