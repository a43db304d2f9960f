module github.com/kingletdb/kinglet/cmd/kingletvet

go 1.26.8

require (
	github.com/kingletdb/kinglet v0.0.0-00010101000000-000000000000
	golang.org/x/tools v0.52.0
)

require (
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
)

replace github.com/kingletdb/kinglet => ../..
