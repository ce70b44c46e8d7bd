package catalog

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant"
)

// ListCategories returns categories flat (each with parent_id and depth),
// in id order; parentID narrows to the direct children of one category.
func (s *Service) ListCategories(ctx context.Context, tenantID uuid.UUID, parentID *uuid.UUID, roots bool, page web.Page) ([]Category, error) {
	var out []Category
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := tenant.DB(ctx).Table("categories").Select(categoryColumns).Where("tenant_id = ?", tenantID)
		if parentID != nil {
			q = q.Where("parent_id = ?", *parentID)
		} else if roots {
			q = q.Where("parent_id IS NULL")
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("id > ?", page.Cursor)
		}
		return q.Order("id").Limit(page.Limit + 1).Scan(&out).Error
	})
	return out, err
}

// GetCategory returns one category, or ErrCategoryNotFound.
func (s *Service) GetCategory(ctx context.Context, tenantID, id uuid.UUID) (Category, error) {
	return readTx(ctx, s, tenantID, func(db *gorm.DB) (Category, error) { return getCategory(db, tenantID, id) })
}

func getCategory(db *gorm.DB, tenantID, id uuid.UUID) (Category, error) {
	return postgres.One[Category](db, ErrCategoryNotFound, `SELECT `+categoryColumns+` FROM categories WHERE tenant_id = ? AND id = ?`, tenantID, id)
}

// CreateCategory adds a category (under an existing parent of the chain).
func (s *Service) CreateCategory(ctx context.Context, actor *tenant.Principal, in CreateCategoryInput) (Category, error) {
	var out Category
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if in.ParentID != nil {
			if _, err := getCategory(db, actor.TenantID, *in.ParentID); err != nil {
				return ErrInvalid.WithFields(problem.FieldError{Field: "parent_id", Message: "is not a category of this chain"})
			}
		}
		id := uuid.Must(uuid.NewV7())
		err := db.Exec(`INSERT INTO categories (tenant_id, id, parent_id, code, name, path, sort_order)
			VALUES (?, ?, ?, ?, ?, coalesce((SELECT path FROM categories WHERE tenant_id = ? AND id = ?), '{}') || ?::uuid, ?)`,
			actor.TenantID, id, in.ParentID, in.Code, in.Name, actor.TenantID, in.ParentID, id, in.SortOrder).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "categories_code_key" {
			return ErrCategoryCodeTkn.WithFields(problem.FieldError{Field: "code", Message: "is taken by another category"})
		}
		if err != nil {
			return fmt.Errorf("catalog: create category: %w", err)
		}
		out, err = getCategory(db, actor.TenantID, id)
		return err
	})
	return out, err
}

// UpdateCategory renames or moves a category; a move carries its subtree
// and refuses to put a category under itself or its descendants.
func (s *Service) UpdateCategory(ctx context.Context, actor *tenant.Principal, id uuid.UUID, in UpdateCategoryInput) (Category, error) {
	var out Category
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if _, err := getCategory(db, actor.TenantID, id); err != nil {
			return err
		}
		set := map[string]any{}
		put(set, "code", in.Code)
		put(set, "name", in.Name)
		put(set, "sort_order", in.SortOrder)
		if len(set) > 0 {
			set["updated_at"] = gorm.Expr("now()")
			err := db.Table("categories").Where("tenant_id = ? AND id = ?", actor.TenantID, id).Updates(set).Error
			if c, ok := postgres.IsUniqueViolation(err); ok && c == "categories_code_key" {
				return ErrCategoryCodeTkn.WithFields(problem.FieldError{Field: "code", Message: "is taken by another category"})
			}
			if err != nil {
				return fmt.Errorf("catalog: update category: %w", err)
			}
		}
		if in.ParentID != nil || in.MoveToRoot {
			if in.ParentID != nil && in.MoveToRoot {
				return ErrInvalid.WithFields(problem.FieldError{Field: "parent_id", Message: "cannot be set with move_to_root"})
			}
			var newBase string // the new parent's path, as SQL
			args := []any{}
			if in.ParentID != nil {
				var under int64
				if err := db.Raw(`SELECT count(*) FROM categories WHERE tenant_id = ? AND id = ? AND NOT (path @> ARRAY[?::uuid])`,
					actor.TenantID, *in.ParentID, id).Scan(&under).Error; err != nil {
					return err
				}
				if under == 0 {
					return ErrInvalid.WithFields(problem.FieldError{Field: "parent_id", Message: "must be a category of this chain outside this category's subtree"})
				}
				newBase = `(SELECT path FROM categories WHERE tenant_id = ? AND id = ?)`
				args = append(args, actor.TenantID, *in.ParentID)
			} else {
				newBase = `'{}'::uuid[]`
			}
			s.changed(ctx, actor.TenantID) // the subtree's SKUs have new paths
			// Every row of the subtree: new parent path || the row's path from this category down.
			q := `UPDATE categories c SET path = ` + newBase + ` || c.path[array_position(c.path, ?::uuid):cardinality(c.path)], updated_at = now()
				WHERE c.tenant_id = ? AND c.path @> ARRAY[?::uuid]`
			args = append(args, id, actor.TenantID, id)
			if err := db.Exec(q, args...).Error; err != nil {
				return fmt.Errorf("catalog: move category: %w", err)
			}
			if err := db.Exec(`UPDATE categories SET parent_id = ? WHERE tenant_id = ? AND id = ?`, in.ParentID, actor.TenantID, id).Error; err != nil {
				return fmt.Errorf("catalog: move category: %w", err)
			}
		}
		var err error
		out, err = getCategory(db, actor.TenantID, id)
		return err
	})
	return out, err
}

// DeleteCategory removes an empty category (no subcategories, no products).
func (s *Service) DeleteCategory(ctx context.Context, actor *tenant.Principal, id uuid.UUID) error {
	return s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if _, err := getCategory(db, actor.TenantID, id); err != nil {
			return err
		}
		var used int64
		if err := db.Raw(`SELECT (SELECT count(*) FROM categories WHERE tenant_id = ? AND parent_id = ?) +
			(SELECT count(*) FROM products WHERE tenant_id = ? AND category_id = ?)`, actor.TenantID, id, actor.TenantID, id).Scan(&used).Error; err != nil {
			return err
		}
		if used > 0 {
			return ErrCategoryInUse
		}
		return db.Exec(`DELETE FROM categories WHERE tenant_id = ? AND id = ?`, actor.TenantID, id).Error
	})
}

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
