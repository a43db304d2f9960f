// Package diagram draws a schema as an entity-relationship diagram: its
// tables with their columns, types and keys, and its foreign keys as
// edges, in Mermaid (an erDiagram, which GitHub renders in Markdown) or in
// Graphviz's DOT (dot -Tsvg makes a picture of it):
//
//	s, err := schema.Inspect(ctx, db, d)          // or schema.FromModels(d, &User{}, &Tweet{})
//	err = diagram.Mermaid(os.Stdout, s)
//	err = diagram.DOT(os.Stdout, s)
//
// kinglet inspect --format mermaid|dot draws the database; a program's
// cli.App draws its models with inspect --models.
package diagram
