package members

// SetMaxExportRows lowers the export limit for a test; the returned func
// restores it.
func SetMaxExportRows(n int) (restore func()) {
	old := maxExportRows
	maxExportRows = n
	return func() { maxExportRows = old }
}
