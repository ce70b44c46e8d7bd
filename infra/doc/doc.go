// Package doc names the business document behind a change in another
// module's books: a sale, a return, a goods receipt, a stocktake. Every
// cross-module call that writes a ledger (stock movements, points, stored
// value, journal entries) carries the document as a Source, so one sale is
// the same (type, id) in inventory, members and finance, and that pair is
// what makes each write idempotent.
package doc

import (
	"fmt"
	"regexp"

	"github.com/google/uuid"
)

// Document types that more than one module writes under. A module may use
// its own lowercase type for documents only it knows (a stocktake, a
// points correction); these are the shared ones.
const (
	Sale      = "sale"      // a POS sale
	Return    = "return"    // a return against a sale
	Void      = "void"      // a voided sale
	TopUp     = "topup"     // a stored-value top-up
	CashOut   = "cash_out"  // stored value paid back
	Receipt   = "receipt"   // goods received (purchase, supply)
	Transfer  = "transfer"  // a transfer between stores
	Stocktake = "stocktake" // a stocktake's variances
	Manual    = "manual"    // a person's adjustment in the console
)

// Source is one business document: its type and its id (a UUID, made by the
// server or, for sales made offline, by the till).
type Source struct {
	Type string
	ID   uuid.UUID
}

// Of is Source{Type: typ, ID: id}.
func Of(typ string, id uuid.UUID) Source { return Source{Type: typ, ID: id} }

var typeRE = regexp.MustCompile(`^[a-z][a-z_]{0,39}$`)

// Valid reports a Source a ledger can key on: a type of 1-40 lowercase
// letters and underscores, and an id.
func (s Source) Valid() error {
	if !typeRE.MatchString(s.Type) {
		return fmt.Errorf("doc: source type %q must be 1-40 lowercase letters or underscores", s.Type)
	}
	if s.ID == uuid.Nil {
		return fmt.Errorf("doc: source %s needs an id", s.Type)
	}
	return nil
}

// String is "type:id", for logs and memos.
func (s Source) String() string { return s.Type + ":" + s.ID.String() }
