package finance

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"chainstore/infra/problem"
	"chainstore/infra/sheet"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
)

// HTTP holds the handlers of /api/v1/finance.
type HTTP struct {
	svc   *Service
	authz *authz.Authorizer
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, az *authz.Authorizer) *HTTP { return &HTTP{svc: svc, authz: az} }

// scope: 403 without finance:read anywhere, else the readable entities.
func (h *HTTP) scope(c *fiber.Ctx) (*tenant.Principal, EntityScope, error) {
	p, _, sc, err := h.scopes(c)
	return p, sc, err
}

// scopes is scope with the stores where the caller holds finance:read.
func (h *HTTP) scopes(c *fiber.Ctx) (*tenant.Principal, authz.StoreScope, EntityScope, error) {
	ctx := c.UserContext()
	p, stores, err := h.authz.Scope(ctx, authz.FinanceRead)
	if err != nil {
		return nil, authz.StoreScope{}, EntityScope{}, err
	}
	sc, err := h.svc.ReadableEntities(ctx, p)
	return p, stores, sc, err
}

func (h *HTTP) readEntity(c *fiber.Ctx, id uuid.UUID) (*tenant.Principal, error) {
	p, sc, err := h.scope(c)
	if err != nil {
		return nil, err
	}
	if !sc.Contains(id) {
		return nil, ErrEntityNotFound
	}
	if _, err := h.svc.GetEntity(c.UserContext(), p.TenantID, id); err != nil {
		return nil, err
	}
	return p, nil
}

// ListEntities: GET /finance/entities.
func (h *HTTP) ListEntities(c *fiber.Ctx) error {
	p, sc, err := h.scope(c)
	if err != nil {
		return err
	}
	rows, err := h.svc.ListEntities(c.UserContext(), p.TenantID, sc)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"data": rows})
}

// ListAccounts: GET /finance/accounts — the chart, for anyone who reads books.
func (h *HTTP) ListAccounts(c *fiber.Ctx) error {
	p, _, err := h.authz.Scope(c.UserContext(), authz.FinanceRead)
	if err != nil {
		return err
	}
	rows, err := h.svc.ListAccounts(c.UserContext(), p.TenantID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"data": rows})
}

// CreateAccount: POST /finance/accounts (finance:write for the chain).
func (h *HTTP) CreateAccount(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.FinanceWrite)
	if err != nil {
		return err
	}
	var in CreateAccountInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	a, err := h.svc.CreateAccount(c.UserContext(), p, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(a)
}

// ListPeriods: GET /finance/periods?entity_id=&year=.
func (h *HTTP) ListPeriods(c *fiber.Ctx) error {
	var bad []problem.FieldError
	ent := web.QueryUUID(c, "entity_id", &bad)
	if ent == nil && len(bad) == 0 {
		bad = append(bad, problem.FieldError{Field: "entity_id", Message: "is required"})
	}
	year := 0 // this year, which the service works out
	if raw := c.Query("year"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 2000 || n > 2200 {
			bad = append(bad, problem.FieldError{Field: "year", Message: "must be a year from 2000 to 2200"})
		}
		year = n
	}
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	p, err := h.readEntity(c, *ent)
	if err != nil {
		return err
	}
	rows, err := h.svc.ListPeriods(c.UserContext(), p.TenantID, *ent, year)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"data": rows})
}

func (h *HTTP) setPeriod(status string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := h.authz.RequireChain(c.UserContext(), authz.FinanceApprove)
		if err != nil {
			return err
		}
		var in PeriodInput
		if err := web.Decode(c, &in); err != nil {
			return err
		}
		if _, err := h.svc.GetEntity(c.UserContext(), p.TenantID, in.EntityID); err != nil {
			return err
		}
		out, err := h.svc.SetPeriodStatus(c.UserContext(), p, in, status)
		if err != nil {
			return err
		}
		return c.JSON(out)
	}
}

// ClosePeriod: POST /finance/periods/close.
func (h *HTTP) ClosePeriod(c *fiber.Ctx) error { return h.setPeriod("closed")(c) }

// LockPeriod: POST /finance/periods/lock.
func (h *HTTP) LockPeriod(c *fiber.Ctx) error { return h.setPeriod("locked")(c) }

// ReopenPeriod: POST /finance/periods/reopen (a closed, not locked, period).
func (h *HTTP) ReopenPeriod(c *fiber.Ctx) error { return h.setPeriod("open")(c) }

// YearEndClose: POST /finance/year-end-close.
func (h *HTTP) YearEndClose(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.FinanceApprove)
	if err != nil {
		return err
	}
	var in YearEndInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	if _, err := h.svc.GetEntity(c.UserContext(), p.TenantID, in.EntityID); err != nil {
		return err
	}
	out, err := h.svc.YearEndClose(c.UserContext(), p, in)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func queryDate(c *fiber.Ctx, name string, bad *[]problem.FieldError) *time.Time {
	raw := c.Query(name)
	if raw == "" {
		return nil
	}
	t, err := time.Parse(dateLayout, raw)
	if err != nil {
		*bad = append(*bad, problem.FieldError{Field: name, Message: "must be a date YYYY-MM-DD"})
		return nil
	}
	return &t
}

// ListEntries: GET /finance/entries — entries of the readable entities.
func (h *HTTP) ListEntries(c *fiber.Ctx) error {
	p, sc, err := h.scope(c)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	var bad []problem.FieldError
	f := EntryFilter{SourceType: c.Query("source_type"), SourceID: web.QueryUUID(c, "source_id", &bad),
		From: queryDate(c, "from", &bad), To: queryDate(c, "to", &bad)}
	ent := web.QueryUUID(c, "entity_id", &bad)
	if f.SourceType != "" && !sourceTypeRE.MatchString(f.SourceType) {
		bad = append(bad, problem.FieldError{Field: "source_type", Message: "must be lowercase letters and underscores"})
	}
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	switch {
	case ent != nil && sc.Contains(*ent):
		f.EntityIDs = []uuid.UUID{*ent}
	case ent != nil:
		f.EntityIDs = []uuid.UUID{}
	case !sc.All:
		f.EntityIDs = append([]uuid.UUID{}, sc.IDs...)
	}
	rows, err := h.svc.ListEntries(c.UserContext(), p.TenantID, f, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(e JournalEntry) uuid.UUID { return e.ID }))
}

// GetEntry: GET /finance/entries/{id} — with lines and source document.
func (h *HTTP) GetEntry(c *fiber.Ctx) error {
	id, err := web.PathID(c, "id", ErrEntryNotFound)
	if err != nil {
		return err
	}
	p, sc, err := h.scope(c)
	if err != nil {
		return err
	}
	e, err := h.svc.GetEntry(c.UserContext(), p.TenantID, id)
	if err != nil {
		return err
	}
	if !sc.Contains(e.EntityID) {
		return ErrEntryNotFound
	}
	return c.JSON(e)
}

// ReverseEntry: POST /finance/entries/{id}/reverse.
func (h *HTTP) ReverseEntry(c *fiber.Ctx) error {
	id, err := web.PathID(c, "id", ErrEntryNotFound)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireChain(c.UserContext(), authz.FinanceWrite)
	if err != nil {
		return err
	}
	var in ReverseInput
	if len(c.Body()) > 0 {
		if err := web.Decode(c, &in); err != nil {
			return err
		}
	}
	e, err := h.svc.Reverse(c.UserContext(), p, id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

// ListManual: GET /finance/manual-entries.
func (h *HTTP) ListManual(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.FinanceRead)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	status := c.Query("status")
	if status != "" && status != "pending" && status != "approved" && status != "rejected" {
		return problem.ErrBadQuery.WithFields(problem.FieldError{Field: "status", Message: "must be pending, approved or rejected"})
	}
	rows, err := h.svc.ListManual(c.UserContext(), p.TenantID, status, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(m ManualEntry) uuid.UUID { return m.ID }))
}

// CreateManual: POST /finance/manual-entries — a draft awaiting approval.
func (h *HTTP) CreateManual(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.FinanceWrite)
	if err != nil {
		return err
	}
	var in ManualEntryInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	m, err := h.svc.CreateManual(c.UserContext(), p, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(m)
}

// GetManual: GET /finance/manual-entries/{id}.
func (h *HTTP) GetManual(c *fiber.Ctx) error {
	id, err := web.PathID(c, "id", ErrManualNotFound)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireChain(c.UserContext(), authz.FinanceRead)
	if err != nil {
		return err
	}
	m, err := h.svc.GetManual(c.UserContext(), p.TenantID, id)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

func (h *HTTP) decide(approve bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := web.PathID(c, "id", ErrManualNotFound)
		if err != nil {
			return err
		}
		p, err := h.authz.RequireChain(c.UserContext(), authz.FinanceApprove)
		if err != nil {
			return err
		}
		m, err := h.svc.DecideManual(c.UserContext(), p, id, approve)
		if err != nil {
			return err
		}
		return c.JSON(m)
	}
}

// ApproveManual: POST /finance/manual-entries/{id}/approve — posts it.
func (h *HTTP) ApproveManual(c *fiber.Ctx) error { return h.decide(true)(c) }

// RejectManual: POST /finance/manual-entries/{id}/reject.
func (h *HTTP) RejectManual(c *fiber.Ctx) error { return h.decide(false)(c) }

var statementKinds = map[string]string{
	"trial-balance": "trial_balance", "income-statement": "income_statement", "balance-sheet": "balance_sheet", "cash-flow": "cash_flow",
}

// ParseStatementQuery reads a statement's query: at most one of entity_id,
// store_id and consolidated=true (none: the caller's own books, see
// GetStatement); from and to (YYYY-MM-DD, from ≤ to); and format (json,
// csv or xlsx; json by default).
func ParseStatementQuery(get func(string) string) (StatementQuery, string, error) {
	var q StatementQuery
	var bad []problem.FieldError
	n := 0
	for _, name := range []string{"entity_id", "store_id"} {
		raw := get(name)
		if raw == "" {
			continue
		}
		n++
		id, err := uuid.Parse(raw)
		if err != nil {
			bad = append(bad, problem.FieldError{Field: name, Message: "must be a UUID"})
			continue
		}
		if name == "entity_id" {
			q.EntityID = &id
		} else {
			q.StoreID = &id
		}
	}
	switch get("consolidated") {
	case "", "false":
	case "true":
		q.Consolidated = true
		n++
	default:
		bad = append(bad, problem.FieldError{Field: "consolidated", Message: "must be true or false"})
	}
	if n > 1 && len(bad) == 0 {
		bad = append(bad, problem.FieldError{Field: "entity_id", Message: "give at most one of entity_id, store_id and consolidated=true"})
	}
	for _, d := range []struct {
		name string
		dst  *time.Time
	}{{"from", &q.From}, {"to", &q.To}} {
		t, err := time.Parse(dateLayout, get(d.name))
		if err != nil || t.Year() < 2000 || t.Year() > 2199 {
			bad = append(bad, problem.FieldError{Field: d.name, Message: "must be a date YYYY-MM-DD from 2000 to 2199"})
			continue
		}
		*d.dst = t
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		bad = append(bad, problem.FieldError{Field: "to", Message: "must not be before from"})
	}
	format := get("format")
	switch format {
	case "":
		format = "json"
	case "json", "csv", "xlsx":
	default:
		bad = append(bad, problem.FieldError{Field: "format", Message: "must be json, csv or xlsx"})
	}
	if len(bad) > 0 {
		return q, "", problem.ErrBadQuery.WithFields(bad...)
	}
	return q, format, nil
}

// GetStatement: GET /finance/statements/{kind}. The consolidated chain and
// HQ's books need finance:read chain-wide; a franchisee's books need it in
// all the franchisee's stores; a store's figures need it in that store.
// Without entity_id, store_id or consolidated=true it answers for the
// books the caller may read (defaultBooks).
func (h *HTTP) GetStatement(c *fiber.Ctx) error {
	ctx := c.UserContext()
	kind, ok := statementKinds[c.Params("kind")]
	if !ok {
		return problem.ErrRouteNotFound
	}
	q, format, err := ParseStatementQuery(func(k string) string { return c.Query(k) })
	if err != nil {
		return err
	}
	if q.EntityID == nil && q.StoreID == nil && !q.Consolidated {
		if err := h.defaultBooks(c, &q); err != nil {
			return err
		}
	}
	var p *tenant.Principal
	switch {
	case q.Consolidated:
		p, err = h.authz.RequireChain(ctx, authz.FinanceRead)
	case q.StoreID != nil:
		p, err = h.svc.org.RequireStore(ctx, *q.StoreID, authz.FinanceRead, org.ErrStoreNotFound)
	default:
		p, err = h.readEntity(c, *q.EntityID)
	}
	if err != nil {
		return err
	}
	st, err := h.svc.Statement(ctx, p.TenantID, kind, q)
	if err != nil {
		return err
	}
	if format == "json" {
		return c.JSON(st)
	}
	f, _ := sheet.ParseFormat(format)
	books, err := h.svc.BooksName(ctx, p.TenantID, q)
	if err != nil {
		return err
	}
	currency, err := h.svc.org.ChainCurrency(ctx, p.TenantID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheet.WriteReport(&buf, f, st.Report(books, currency)); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, f.ContentType())
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s_%s_%s.%s"`, st.Kind, st.From, st.To, format))
	return c.Send(buf.Bytes())
}

// defaultBooks picks the books of a statement that names none: what the
// caller may read. finance:read chain-wide (HQ) is the consolidated chain;
// else the one entity whose books the caller reads (a franchisee's); else
// the one store where the caller holds finance:read (a store manager's).
// Someone who may read several entities or stores must choose: 400.
func (h *HTTP) defaultBooks(c *fiber.Ctx, q *StatementQuery) error {
	_, stores, sc, err := h.scopes(c)
	switch {
	case err != nil:
		return err
	case sc.All:
		q.Consolidated = true
	case len(sc.IDs) == 1:
		q.EntityID = &sc.IDs[0]
	case len(sc.IDs) == 0 && len(stores.Stores) == 1:
		q.StoreID = &stores.Stores[0]
	default:
		return problem.ErrBadQuery.WithFields(problem.FieldError{Field: "entity_id",
			Message: "you may read several books: give one of entity_id, store_id and consolidated=true"})
	}
	return nil
}

// ListClearing: GET /finance/clearing-rules.
func (h *HTTP) ListClearing(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.FinanceRead)
	if err != nil {
		return err
	}
	rows, err := h.svc.ListClearing(c.UserContext(), p.TenantID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"data": rows})
}

// SetClearing: PUT /finance/clearing-rules.
func (h *HTTP) SetClearing(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.FinanceWrite)
	if err != nil {
		return err
	}
	var in ClearingInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.SetClearing(c.UserContext(), p, in)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// ListRoyalty: GET /finance/royalty-rules.
func (h *HTTP) ListRoyalty(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.FinanceRead)
	if err != nil {
		return err
	}
	rows, err := h.svc.ListRoyalty(c.UserContext(), p.TenantID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"data": rows})
}

// SetRoyalty: PUT /finance/royalty-rules.
func (h *HTTP) SetRoyalty(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.FinanceWrite)
	if err != nil {
		return err
	}
	var in RoyaltyInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.SetRoyalty(c.UserContext(), p, in)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// settlementScope: the franchisees whose settlements the caller reads (nil: all).
func (h *HTTP) settlementScope(c *fiber.Ctx) (*tenant.Principal, []uuid.UUID, error) {
	p, sc, err := h.scope(c)
	if err != nil || sc.All {
		return p, nil, err
	}
	ents, err := h.svc.ListEntities(c.UserContext(), p.TenantID, sc)
	if err != nil {
		return nil, nil, err
	}
	frs := []uuid.UUID{}
	for _, e := range ents {
		if e.FranchiseeID != nil {
			frs = append(frs, *e.FranchiseeID)
		}
	}
	return p, frs, nil
}

// ListSettlements: GET /finance/settlements.
func (h *HTTP) ListSettlements(c *fiber.Ctx) error {
	p, frs, err := h.settlementScope(c)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	rows, err := h.svc.ListSettlements(c.UserContext(), p.TenantID, frs, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(s Settlement) uuid.UUID { return s.ID }))
}

// GenerateSettlement: POST /finance/settlements.
func (h *HTTP) GenerateSettlement(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.FinanceWrite)
	if err != nil {
		return err
	}
	var in SettlementInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.GenerateSettlement(c.UserContext(), p, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// GetSettlement: GET /finance/settlements/{id}.
func (h *HTTP) GetSettlement(c *fiber.Ctx) error {
	id, err := web.PathID(c, "id", ErrSettlementNotFound)
	if err != nil {
		return err
	}
	p, frs, err := h.settlementScope(c)
	if err != nil {
		return err
	}
	st, err := h.svc.GetSettlement(c.UserContext(), p.TenantID, id)
	if err != nil {
		return err
	}
	if frs != nil && !contains(frs, st.FranchiseeID) {
		return ErrSettlementNotFound
	}
	return c.JSON(st)
}

// PostSettlement: POST /finance/settlements/{id}/post.
func (h *HTTP) PostSettlement(c *fiber.Ctx) error {
	id, err := web.PathID(c, "id", ErrSettlementNotFound)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireChain(c.UserContext(), authz.FinanceApprove)
	if err != nil {
		return err
	}
	st, err := h.svc.PostSettlement(c.UserContext(), p, id)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

func contains(ids []uuid.UUID, id uuid.UUID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
