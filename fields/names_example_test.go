package fields_test

import (
	"fmt"

	"github.com/kingletdb/kinglet/fields"
)

// A derived name over 63 bytes keeps its start and ends in a hash of the
// whole name, the same on every engine.
func ExampleDerivedName() {
	fmt.Println(fields.DerivedName("idx", "users", "email"))
	long := fields.DerivedName("idx", "customer_loyalty_programme_memberships", "programme_enrolment_reference_code")
	fmt.Println(long, len(long))
	// Output:
	// idx_users_email
	// idx_customer_loyalty_programme_memberships_programme_e7f36145e5 63
}
