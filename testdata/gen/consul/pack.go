// Packing a run into its support bundle, in the site's layout, and
// unpacking a bundle back into one directory per node for inspection.
//
// Packing is deterministic: entries in name order, directories before
// their contents, owner and group 0 with no names, every mtime the
// collection time, gzip without name or time. The same staging tree
// always gives the same bytes.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/ioutil"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

type tarEntry struct {
	name string
	dir  bool
	mode int64
	data []byte
}

// nodeEntries lists a node directory's files as tar entries under prefix.
func nodeEntries(dir, prefix string) ([]tarEntry, error) {
	var out []tarEntry
	if prefix != "" {
		out = append(out, tarEntry{name: prefix + "/", dir: true, mode: 0755})
	}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		name := filepath.ToSlash(rel)
		if prefix != "" {
			name = prefix + "/" + name
		}
		if info.IsDir() {
			out = append(out, tarEntry{name: name + "/", dir: true, mode: 0755})
			return nil
		}
		b, err := ioutil.ReadFile(p)
		if err != nil {
			return err
		}
		out = append(out, tarEntry{name: name, mode: int64(info.Mode().Perm()), data: b})
		return nil
	})
	return out, err
}

func writeTarGz(w io.Writer, entries []tarEntry, mtime time.Time) error {
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: e.mode, ModTime: mtime, Format: tar.FormatGNU}
		if e.dir {
			h.Typeflag = tar.TypeDir
		} else {
			h.Typeflag = tar.TypeReg
			h.Size = int64(len(e.data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if !e.dir {
			if _, err := tw.Write(e.data); err != nil {
				return err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

func supportStamp(t time.Time) string { return t.UTC().Format("20060102T1504") }

// packBundle writes <out> from the staging tree root/<node>/... in the
// layout of the scenario's site.
func packBundle(root, name, out string, mtime time.Time) error {
	site := siteFor(name)
	ents, err := ioutil.ReadDir(root)
	if err != nil {
		return err
	}
	var nodes []string
	for _, e := range ents {
		if e.IsDir() {
			nodes = append(nodes, e.Name())
		}
	}
	var outer []tarEntry
	addDirs := func(p string) {
		for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
			outer = append(outer, tarEntry{name: d + "/", dir: true, mode: 0755})
		}
	}
	for _, n := range nodes {
		dir := filepath.Join(root, n)
		switch site.Layout {
		case layoutWrapped, layoutFlat:
			prefix := n
			if site.Layout == layoutWrapped {
				prefix = site.Wrapper + "/" + n
				addDirs(prefix + "/x")
			}
			es, err := nodeEntries(dir, prefix)
			if err != nil {
				return err
			}
			outer = append(outer, es...)
		case layoutPerNode, layoutSupport:
			inner, top := n, ""
			if site.Layout == layoutSupport {
				inner = n + "-consul-support-" + supportStamp(mtime)
				top = inner
			} else if site.InnerTop {
				top = n
			}
			es, err := nodeEntries(dir, top)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := writeTarGz(&buf, es, mtime); err != nil {
				return err
			}
			p := inner + ".tar.gz"
			if site.Layout == layoutPerNode && site.Wrapper != "" {
				p = site.Wrapper + "/" + p
				addDirs(p)
			}
			outer = append(outer, tarEntry{name: p, mode: 0644, data: buf.Bytes()})
		default:
			return fmt.Errorf("unknown layout %q", site.Layout)
		}
	}
	// One entry per directory.
	seen := map[string]bool{}
	var uniq []tarEntry
	for _, e := range outer {
		if e.dir && seen[e.name] {
			continue
		}
		seen[e.name] = true
		uniq = append(uniq, e)
	}
	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := writeTarGz(f, uniq, mtime); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

// extractTarGz unpacks a gzipped tarball into dest; nested tarballs are
// unpacked into a directory named after them (without .tar.gz / .tgz).
func extractTarGz(r io.Reader, dest string) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name := path.Clean(strings.TrimPrefix(h.Name, "./"))
		if name == "." || strings.HasPrefix(name, "../") || path.IsAbs(name) {
			return fmt.Errorf("bad entry name %q", h.Name)
		}
		p := filepath.Join(dest, filepath.FromSlash(name))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(p), 0755); err != nil {
				return err
			}
			b, err := ioutil.ReadAll(tr)
			if err != nil {
				return err
			}
			if base := strings.TrimSuffix(strings.TrimSuffix(p, ".tar.gz"), ".tgz"); base != p {
				if err := extractTarGz(bytes.NewReader(b), base); err != nil {
					return fmt.Errorf("%s: %v", name, err)
				}
				continue
			}
			if err := ioutil.WriteFile(p, b, os.FileMode(h.Mode)&0777); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unexpected entry type %c for %q", h.Typeflag, h.Name)
		}
	}
}

var reSupportName = regexp.MustCompile(`^(.*)-consul-support-\d{8}T\d{4}$`)

// unpackBundle rebuilds <stage>/<scenario>/<node>/... from a bundle.
func unpackBundle(bundle, stage, name string) error {
	site := siteFor(name)
	raw := filepath.Join(stage, ".raw")
	os.RemoveAll(raw)
	f, err := os.Open(bundle)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := extractTarGz(f, raw); err != nil {
		return err
	}
	defer os.RemoveAll(raw)
	base := raw
	if site.Layout == layoutWrapped || (site.Layout == layoutPerNode && site.Wrapper != "") {
		base = filepath.Join(raw, filepath.FromSlash(site.Wrapper))
	}
	ents, err := ioutil.ReadDir(base)
	if err != nil {
		return err
	}
	root := filepath.Join(stage, name)
	if err := os.MkdirAll(root, 0755); err != nil {
		return err
	}
	for _, e := range ents {
		if !e.IsDir() {
			return fmt.Errorf("unexpected file %s at the node level", e.Name())
		}
		src := filepath.Join(base, e.Name())
		node := e.Name()
		switch {
		case site.Layout == layoutSupport:
			m := reSupportName.FindStringSubmatch(node)
			if m == nil {
				return fmt.Errorf("tarball %s is not named <host>-consul-support-<stamp>", node)
			}
			node = m[1]
			src = filepath.Join(src, e.Name())
		case site.Layout == layoutPerNode && site.InnerTop:
			src = filepath.Join(src, node)
		}
		if err := os.Rename(src, filepath.Join(root, node)); err != nil {
			return err
		}
	}
	return nil
}
