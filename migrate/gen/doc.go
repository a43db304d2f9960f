// Package gen writes Go source: model structs whose db tags describe a
// schema, the start of a program's models for an existing database:
//
//	s, err := schema.Inspect(ctx, db, d)
//	src, err := gen.Models(s, d, "models") // gofmt'ed Go, one struct per table
//	err = os.WriteFile("models/models.go", src, 0o644)
//
// schema.FromModels of the generated structs gives back the inspected
// tables, so the models diff empty against the database they were read
// from. The kinglet command runs it as "kinglet gen models".
package gen
