package orm

// SetRelationBatchForTest sets the number of keys per IN batch of relation
// loading and returns a func that restores the previous setting.
func SetRelationBatchForTest(n int) (restore func()) {
	old := relationBatch.Swap(int64(n))
	return func() { relationBatch.Store(old) }
}
