// Package filestore keeps files the server writes and serves back later
// (finished exports): in a local directory by default, or in an
// S3-compatible bucket. Both implement contacts.FileStore.
package filestore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/switchboard-oss/switchboard/contacts"
)

// Local keeps files under a directory, created on first write. Keys are
// slash-separated relative paths.
type Local struct {
	dir string
}

var (
	_ contacts.FileStore = (*Local)(nil)
	_ contacts.FileMover = (*Local)(nil)
)

// NewLocal keeps files under dir.
func NewLocal(dir string) *Local { return &Local{dir: dir} }

// Dir is the directory the files are kept in.
func (l *Local) Dir() string { return l.dir }

// path maps a key into the directory, refusing keys that would leave it.
func (l *Local) path(key string) (string, error) {
	p := filepath.FromSlash(key)
	if key == "" || !filepath.IsLocal(p) {
		return "", fmt.Errorf("file key %q: not a relative path inside the store", key)
	}
	return filepath.Join(l.dir, p), nil
}

// Put copies r into place through a temp file, so a reader never sees a
// half-written file.
func (l *Local) Put(ctx context.Context, key string, r io.ReadSeeker, size int64) error {
	dst, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".put-*")
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	n, err := io.Copy(tmp, r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && n != size {
		err = fmt.Errorf("wrote %d bytes, expected %d", n, size)
	}
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// PutFile moves the finished file at path into place; across disks, where
// a rename cannot, it copies and removes it.
func (l *Local) PutFile(ctx context.Context, key, path string) error {
	dst, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := os.Rename(path, dst); err == nil {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := l.Put(ctx, key, f, fi.Size()); err != nil {
		return err
	}
	return os.Remove(path)
}

// Open opens the file under key.
func (l *Local) Open(_ context.Context, key string) (io.ReadCloser, int64, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, 0, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, 0, fmt.Errorf("open %s: %w", key, err) // wraps fs.ErrNotExist for a missing file
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("open %s: %w", key, err)
	}
	return f, fi.Size(), nil
}

// Delete removes the file under key.
func (l *Local) Delete(_ context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}
