// Package org is the chain's organisation: its stores, direct-owned or
// franchise, and the franchisees that own franchise stores.
package org

import (
	"time"

	"github.com/google/uuid"
)

// Store is one shop of the chain.
type Store struct {
	ID           uuid.UUID  `json:"id"`
	Code         string     `json:"code"`
	Name         string     `json:"name"`
	Type         string     `json:"type"`
	FranchiseeID *uuid.UUID `json:"franchisee_id"`
	Address      string     `json:"address"`
	Phone        string     `json:"phone"`
	TimeZone     string     `json:"time_zone"`
	Status       string     `json:"status"`
	OpenedAt     *time.Time `json:"opened_at"`
	ClosedAt     *time.Time `json:"closed_at"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

const storeColumns = `id, code, name, type, franchisee_id, address, phone, time_zone, status, opened_at, closed_at, created_at, updated_at`

// CreateStoreInput opens a store. A franchise store names its franchisee.
type CreateStoreInput struct {
	Code         string     `json:"code" validate:"required,code"`
	Name         string     `json:"name" validate:"required,min=1,max=200,text"`
	Type         string     `json:"type" validate:"required,oneof=direct franchise"`
	FranchiseeID *uuid.UUID `json:"franchisee_id" validate:"required_if=Type franchise"`
	Address      string     `json:"address" validate:"max=500,text"`
	Phone        string     `json:"phone" validate:"max=40,text"`
	TimeZone     string     `json:"time_zone" validate:"omitempty,timezone"`
	OpenedAt     *time.Time `json:"opened_at"`
}

// UpdateStoreInput changes a store; nil fields stay. Setting type to direct
// clears the franchisee.
type UpdateStoreInput struct {
	Code         *string    `json:"code" validate:"omitnil,code"`
	Name         *string    `json:"name" validate:"omitnil,min=1,max=200,text"`
	Type         *string    `json:"type" validate:"omitnil,oneof=direct franchise"`
	FranchiseeID *uuid.UUID `json:"franchisee_id"`
	Address      *string    `json:"address" validate:"omitnil,max=500,text"`
	Phone        *string    `json:"phone" validate:"omitnil,max=40,text"`
	TimeZone     *string    `json:"time_zone" validate:"omitnil,timezone"`
	Status       *string    `json:"status" validate:"omitnil,oneof=active closed"`
}

// StoreFilter narrows the store list.
type StoreFilter struct {
	Status       string
	Type         string
	FranchiseeID *uuid.UUID
	Query        string
}

// Franchisee is a legal entity running franchise stores.
type Franchisee struct {
	ID           uuid.UUID `json:"id"`
	Name         string    `json:"name"`
	LegalName    string    `json:"legal_name"`
	ContactName  string    `json:"contact_name"`
	ContactPhone string    `json:"contact_phone"`
	ContactEmail string    `json:"contact_email"`
	Status       string    `json:"status"`
	StoreCount   int       `json:"store_count"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

const franchiseeColumns = `f.id, f.name, f.legal_name, f.contact_name, f.contact_phone, f.contact_email, f.status, f.created_at, f.updated_at,
	(SELECT count(*) FROM stores s WHERE s.tenant_id = f.tenant_id AND s.franchisee_id = f.id) AS store_count`

// FranchiseeInput creates a franchisee.
type FranchiseeInput struct {
	Name         string `json:"name" validate:"required,min=1,max=200,text"`
	LegalName    string `json:"legal_name" validate:"max=200,text"`
	ContactName  string `json:"contact_name" validate:"max=100,text"`
	ContactPhone string `json:"contact_phone" validate:"omitempty,phone"`
	ContactEmail string `json:"contact_email" validate:"omitempty,email,max=254"`
}

// UpdateFranchiseeInput changes a franchisee; nil fields stay.
type UpdateFranchiseeInput struct {
	Name         *string `json:"name" validate:"omitnil,min=1,max=200,text"`
	LegalName    *string `json:"legal_name" validate:"omitnil,max=200,text"`
	ContactName  *string `json:"contact_name" validate:"omitnil,max=100,text"`
	ContactPhone *string `json:"contact_phone" validate:"omitnil,omitempty,phone"`
	ContactEmail *string `json:"contact_email" validate:"omitnil,omitempty,email,max=254"`
	Status       *string `json:"status" validate:"omitnil,oneof=active terminated"`
}
