package gen

import (
	"slices"
	"strings"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// genLink is a one-column foreign key between two generated structs.
type genLink struct {
	child, parent      *genStruct
	fk                 *schema.ForeignKey
	fkField, refField  string // the Go fields of the key and of what it refers to
	references         string // references:Field when refField is not the parent's one-column primary key
	belongsTo          string // the name of the belongs_to field on child
	unique             bool   // the key column is unique on its own: has_one
	sameParentSiblings int    // how many keys child has to parent
}

// genRelations adds the relation fields the foreign keys between the
// structs' tables give: belongs_to on the table holding a key, has_many
// (has_one for a unique key) on the table it refers to, many_to_many across
// pure join tables.
func genRelations(structs []*genStruct) {
	byTable := map[string]*genStruct{}
	for _, gs := range structs {
		if !gs.t.View {
			byTable[gs.t.Name] = gs
		}
	}
	var links []*genLink
	for _, child := range structs {
		if child.t.View {
			continue
		}
		for i := range child.t.ForeignKeys {
			fk := &child.t.ForeignKeys[i]
			parent := byTable[fk.RefTable]
			if parent == nil || len(fk.Columns) != 1 || len(fk.RefColumns) != 1 || !child.keyed[fk.Columns[0]] {
				continue
			}
			l := &genLink{child: child, parent: parent, fk: fk,
				fkField: child.byColumn[fk.Columns[0]], refField: parent.byColumn[fk.RefColumns[0]]}
			if l.fkField == "" || l.refField == "" {
				continue
			}
			if !slices.Equal(parent.t.PrimaryKey, fk.RefColumns) {
				l.references = l.refField
			}
			l.unique = slices.Equal(child.t.PrimaryKey, fk.Columns) || slices.ContainsFunc(child.t.Indexes, func(ix schema.Index) bool {
				return ix.Unique && ix.Where == "" && slices.Equal(ix.Columns, fk.Columns)
			})
			links = append(links, l)
		}
	}
	for _, l := range links {
		for _, o := range links {
			if o.child == l.child && o.parent == l.parent {
				l.sameParentSiblings++
			}
		}
	}
	// belongs_to first, so that the key's own name (Customer for
	// customer_id) goes to the side that holds it.
	for _, l := range links {
		name := l.stem()
		switch {
		case name == l.fkField && l.child == l.parent:
			name += l.parent.name // ReplyTo -> ReplyToMention
		case name == l.fkField || l.child.names[name]:
			name = l.parent.name
		}
		l.belongsTo = l.child.names.unique(name)
		opts := "belongs_to,fk:" + l.fkField
		if l.references != "" {
			opts += ",references:" + l.references
		}
		l.child.rels = append(l.child.rels, genRel(l.belongsTo, "*"+l.parent.name, opts))
	}
	for _, l := range links {
		kind, typ := "has_many", "[]"+l.child.name
		name := genExportedName(fields.Plural(fields.SnakeCase(l.child.name)))
		if l.unique {
			kind, typ, name = "has_one", "*"+l.child.name, l.child.name
		}
		if l.sameParentSiblings > 1 || l.child == l.parent {
			name = l.stem() + name // SenderMessages, ManagerEmployees
		}
		opts := kind + ",fk:" + l.fkField
		if l.references != "" {
			opts += ",references:" + l.references
		}
		l.parent.rels = append(l.parent.rels, genRel(l.parent.names.unique(name), typ, opts))
	}
	for _, j := range structs {
		genManyToMany(j, links)
	}
}

// genManyToMany adds many_to_many relations across j when it is a pure
// join table: two one-column keys, to tables with one-column primary keys
// they refer to, and no other column.
func genManyToMany(j *genStruct, links []*genLink) {
	var keys []*genLink
	for _, l := range links {
		if l.child == j {
			keys = append(keys, l)
		}
	}
	if len(keys) != 2 || len(j.t.Columns) != 2 || keys[0].fk.Columns[0] == keys[1].fk.Columns[0] {
		return
	}
	for _, k := range keys {
		if k.references != "" {
			return // the target side must be the primary key
		}
	}
	for i, from := range keys {
		to := keys[1-i]
		name := genExportedName(fields.Plural(fields.SnakeCase(to.parent.name)))
		if from.parent == to.parent {
			name = genExportedName(fields.Plural(fields.SnakeCase(to.belongsTo))) // Followers, Followees
		}
		opts := "many_to_many,through:" + j.name + ",fk:" + from.fkField + ",join_fk:" + to.fkField
		from.parent.rels = append(from.parent.rels, genRel(from.parent.names.unique(name), "[]"+to.parent.name, opts))
	}
}

// stem is the key field's name without its ID: Customer for CustomerID,
// ReplyTo for ReplyTo.
func (l *genLink) stem() string {
	if s := strings.TrimSuffix(l.fkField, "ID"); s != "" {
		return s
	}
	return l.fkField
}

func genRel(name, typ, opts string) genField {
	return genField{name: name, typ: typ, tag: genTag(`db:"-" rel:"` + opts + `"`)}
}
