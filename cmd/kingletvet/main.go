// Command kingletvet is a go vet tool that reports misuses of kinglet's
// query builders and ORM: a builder result thrown away, a column or
// relation name the model lacks, a bulk Update or Delete without Where or
// AllRows, and a raw SQL fragment whose ? count differs from its arguments.
//
//	go install github.com/kingletdb/kinglet/cmd/kingletvet@latest
//	go vet -vettool=$(which kingletvet) ./...
//
// See package check for what each report means.
package main

import (
	"github.com/kingletdb/kinglet/cmd/kingletvet/check"
	"golang.org/x/tools/go/analysis/singlechecker"
)

func main() { singlechecker.Main(check.Analyzer) }
