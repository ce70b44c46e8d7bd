package catalog

import (
	"cmp"
	"context"
	"slices"

	"github.com/google/uuid"

	"chainstore/tenant"
)

// CategoryNode is a category with its children, for the tree view.
type CategoryNode struct {
	Category
	Children []*CategoryNode `json:"children"`
}

// MaxTreeCategories bounds the tree endpoint: a chain's category tree is a
// few hundred nodes; past this the console pages the flat list instead.
const MaxTreeCategories = 20000

// CategoryTree returns the chain's categories nested under their parents,
// siblings sorted by sort_order, then name, then id (so the order is total
// and stable). A chain without categories has an empty tree. Errors:
// ErrTreeTooLarge when the chain has more than MaxTreeCategories.
func (s *Service) CategoryTree(ctx context.Context, tenantID uuid.UUID) ([]*CategoryNode, error) {
	var rows []Category
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Raw(`SELECT `+categoryColumns+` FROM categories WHERE tenant_id = ? ORDER BY id LIMIT ?`,
			tenantID, MaxTreeCategories+1).Scan(&rows).Error
	})
	if err != nil {
		return nil, err
	}
	if len(rows) > MaxTreeCategories {
		return nil, ErrTreeTooLarge
	}
	return buildTree(rows), nil
}

// buildTree nests rows by parent_id. A row whose parent is missing (cannot
// happen with the foreign key, but a tree never drops a row) becomes a root.
func buildTree(rows []Category) []*CategoryNode {
	nodes := make(map[uuid.UUID]*CategoryNode, len(rows))
	for _, r := range rows {
		nodes[r.ID] = &CategoryNode{Category: r, Children: []*CategoryNode{}}
	}
	roots := []*CategoryNode{}
	for _, r := range rows {
		n := nodes[r.ID]
		if r.ParentID != nil {
			if p, ok := nodes[*r.ParentID]; ok && p != n {
				p.Children = append(p.Children, n)
				continue
			}
		}
		roots = append(roots, n)
	}
	var sortLevel func([]*CategoryNode)
	sortLevel = func(ns []*CategoryNode) {
		slices.SortFunc(ns, func(a, b *CategoryNode) int {
			return cmp.Or(cmp.Compare(a.SortOrder, b.SortOrder), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID.String(), b.ID.String()))
		})
		for _, n := range ns {
			sortLevel(n.Children)
		}
	}
	sortLevel(roots)
	return roots
}
