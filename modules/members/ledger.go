package members

import (
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/doc"
	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/tenant/org"
)

// What the points ledger and the stored-value ledger share: reading an
// entry, recognising a replay of a call by its source document, and
// checking that document. Their movements differ (points in expiring lots,
// value as principal and bonus in lots per loading store) and stay in
// points.go and storedvalue.go.

// ledger is one of the two ledger tables and how to read its entries.
type ledger[T any] struct {
	table, columns string
	noun           string // for messages
	member         func(*T) uuid.UUID
	store          func(*T) *uuid.UUID
}

var (
	pointsLedger = ledger[PointsEntry]{table: "points_ledger", columns: pointsEntryColumns, noun: "points",
		member: func(e *PointsEntry) uuid.UUID { return e.MemberID }, store: func(e *PointsEntry) *uuid.UUID { return e.StoreID }}
	valueLedger = ledger[ValueEntry]{table: "stored_value_ledger", columns: valueEntryColumns, noun: "stored-value",
		member: func(e *ValueEntry) uuid.UUID { return e.MemberID }, store: func(e *ValueEntry) *uuid.UUID { return e.StoreID }}
)

// find returns the tenant's entry matching where, or nil.
func (l ledger[T]) find(db *gorm.DB, tenantID uuid.UUID, where string, args ...any) (*T, error) {
	var rows []T
	if err := db.Raw(`SELECT `+l.columns+` FROM `+l.table+` WHERE tenant_id = ? AND `+where, append([]any{tenantID}, args...)...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("members: %s entry: %w", l.noun, err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// replay finds the entry an earlier call recorded for (kind, src). It is a
// replay of this call only when it moved the same member's balance at the
// same store and same(prev) holds (the same amount, or the same payment
// refunded); otherwise the source document was used for another movement
// and the answer is ErrSourceReused — never the other member's (or
// store's) entry, which would leak it and leave this movement undone while
// the caller believes it done.
func (l ledger[T]) replay(db *gorm.DB, tenantID, memberID uuid.UUID, kind string, src doc.Source, storeID *uuid.UUID, same func(*T) bool) (*T, error) {
	prev, err := l.find(db, tenantID, "kind = ? AND source_type = ? AND source_id = ?", kind, src.Type, src.ID)
	if err != nil || prev == nil {
		return nil, err
	}
	if l.member(prev) != memberID || !sameStore(l.store(prev), storeID) || !same(prev) {
		return nil, ErrSourceReused.WithDetail("%s already recorded a %s %s of another member, store or amount", src, l.noun, kind)
	}
	return prev, nil
}

// written is the entry an INSERT … RETURNING wrote, or its error: an
// unknown store is org.ErrStoreNotFound, the source key taken (a
// concurrent call recorded src for another movement) ErrSourceReused.
func (l ledger[T]) written(rows []T, err error, kind string, src doc.Source) (T, error) {
	var zero T
	if fk, ok := postgres.IsForeignKeyViolation(err); ok && fk == l.table+"_store_fkey" {
		return zero, org.ErrStoreNotFound
	}
	if c, ok := postgres.IsUniqueViolation(err); ok && c == l.table+"_source_key" {
		return zero, ErrSourceReused.WithDetail("%s already recorded a %s %s", src, l.noun, kind)
	}
	if err != nil {
		return zero, fmt.Errorf("members: %s ledger: %w", l.noun, err)
	}
	if len(rows) != 1 {
		return zero, fmt.Errorf("members: %s ledger wrote %d entries", l.noun, len(rows))
	}
	return rows[0], nil
}

func always[T any](*T) bool { return true }

func sameStore(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// checkSource refuses a document a ledger cannot key on.
func checkSource(src doc.Source) error {
	if err := src.Valid(); err != nil {
		return ErrInvalid.WithFields(problem.FieldError{Field: "source", Message: err.Error()})
	}
	return nil
}

// sourceID is the column value of a source: NULL for a document without an
// id (a person's adjustment).
func sourceID(src doc.Source) *uuid.UUID {
	if src.ID == uuid.Nil {
		return nil
	}
	return &src.ID
}

// rowsJSON is rows as a JSON array, for one statement that reads them with
// jsonb_to_recordset (several lots moved in one round trip).
func rowsJSON(rows any) string {
	b, err := json.Marshal(rows)
	if err != nil {
		panic(fmt.Sprintf("members: %v", err)) // rows are structs of ids and integers
	}
	return string(b)
}
