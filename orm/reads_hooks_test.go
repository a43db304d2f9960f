package orm_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// TestReadsUnderHooks: the statements of Raw, From, JoinLoad and LoadWith
// reach the query hooks on every path, with their operation, table and
// the rows the ORM read.
func TestReadsUnderHooks(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, _ *relCounter, d relData, _ *testdb.DB) {
		hdb, rec := hooked(db)
		type want struct {
			op, table string
			returned  int64
		}
		check := func(name string, wants ...want) {
			t.Helper()
			rec.mu.Lock()
			defer rec.mu.Unlock()
			require.Len(t, rec.events, len(wants), "%s: %q", name, rec.events)
			for i, w := range wants {
				ev := rec.events[i]
				require.Equal(t, w.op, ev.Operation, "%s #%d %s", name, i, ev.SQL)
				require.Equal(t, w.table, ev.Table, "%s #%d %s", name, i, ev.SQL)
				require.Equal(t, w.returned, ev.Returned, "%s #%d %s", name, i, ev.SQL)
				require.NoError(t, ev.Err)
			}
		}
		_, err := orm.Raw[rTweet](hdb, "SELECT id, user_id FROM rel_tweets WHERE user_id = ?", d.alice).All(ctx)
		require.NoError(t, err)
		check("Raw", want{"", "", 3})
		rec.reset()
		_, err = orm.From[rTweet](hdb, query.Select(relT.C("id")).From(relT)).All(ctx)
		require.NoError(t, err)
		check("From", want{"", "", 4}) // the caller's query, like Raw's
		rec.reset()
		_, err = orm.Select[rTweet](hdb).LeftJoinLoad("ReplyTo").All(ctx)
		require.NoError(t, err)
		check("JoinLoad", want{"SELECT", "rel_tweets", 4})
		rec.reset()
		_, err = orm.Select[rUser](hdb).LoadWith("Tweets", orm.LimitPer(1)).Load("Profile").All(ctx)
		require.NoError(t, err)
		check("LoadWith", want{"SELECT", "rel_users", 3}, want{"SELECT", "rel_tweets", 2}, want{"SELECT", "rel_profiles", 2})
		rec.reset()
		n := 0
		for _, err := range orm.Select[rUser](hdb).Load("Tweets").Iter(ctx) {
			require.NoError(t, err)
			n++
		}
		require.Equal(t, 3, n)
		check("Iter", want{"SELECT", "rel_users", 3}, want{"SELECT", "rel_tweets", 4})
	})
}
