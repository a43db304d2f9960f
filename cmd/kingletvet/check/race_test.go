//go:build race

package check_test

func init() { raceFlag = []string{"-race"} }
