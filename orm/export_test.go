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

// KeptStatements is how many statements db keeps prepared, and whether it
// keeps any at all (its dialect has dialect.KeepPrepared).
func KeptStatements(db *DB) (n int, keeps bool) {
	if db.prep == nil {
		return 0, false
	}
	return int(db.prep.n.Load()), true
}

// TxKeptStatements is how many statements tx keeps prepared on its
// connection, and whether it keeps any at all.
func TxKeptStatements(tx *Tx) (n int, keeps bool) {
	if tx.tprep == nil {
		return 0, false
	}
	tx.tprep.mu.Lock()
	defer tx.tprep.mu.Unlock()
	return len(tx.tprep.stmts), true
}
