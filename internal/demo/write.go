package demo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"gevinstrapport/internal/store"
)

// Write stores the demo register of scale as an SQLite database at path,
// replacing any file there. It writes to a temporary file in the same
// directory and renames it, so path is never half-written, and the same
// scale gives the same bytes on every call.
func Write(ctx context.Context, path string, scale Scale) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".demo-*.db")
	if err != nil {
		return fmt.Errorf("write demo register: %w", err)
	}
	tmpName := tmp.Name()
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write demo register: %w", err)
	}
	defer func() {
		if err != nil {
			os.Remove(tmpName)
			os.Remove(tmpName + "-journal")
		}
	}()
	if err := fill(ctx, tmpName, scale); err != nil {
		return fmt.Errorf("write demo register %s: %w", path, err)
	}
	if err := os.Chmod(tmpName, 0o644); err != nil {
		return fmt.Errorf("write demo register %s: %w", path, err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("write demo register: %w", err)
	}
	return nil
}

// fill creates the contract tables in the SQLite file at path and inserts
// the demo register.
func fill(ctx context.Context, path string, scale Scale) (err error) {
	db, err := store.Open(ctx, store.SQLite, path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := db.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close: %w", cerr))
		}
	}()
	if err := store.CreateSchema(ctx, db, store.SQLite); err != nil {
		return err
	}
	if err := store.WriteRegister(ctx, db, store.SQLite, Generate(scale)); err != nil {
		return err
	}
	// VACUUM rebuilds the file compactly, so its bytes depend only on the
	// content and not on how the inserts happened to fill the pages.
	if _, err := db.ExecContext(ctx, "VACUUM"); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	return nil
}
