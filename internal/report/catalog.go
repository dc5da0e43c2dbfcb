// Package report turns evaluated register data into report models: what each
// page of a report says, worded in the reader's language (nb, nn or en).
package report

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Languages lists the supported report languages; the first is the default.
var Languages = []string{"nb", "nn", "en"}

// DefaultLanguage is the language used when neither person nor config names one.
const DefaultLanguage = "nb"

// Catalog is one language's report wording together with its number and
// date formatting; it is safe for concurrent use.
type Catalog struct {
	lang    string
	texts   map[string]string
	printer *message.Printer
}

// Catalogs holds the catalogue of every supported language.
type Catalogs struct {
	byLang map[string]*Catalog
}

// LoadCatalogs reads catalog/<lang>.yaml for every supported language from
// fsys (normally templates.FS).
func LoadCatalogs(fsys fs.FS) (Catalogs, error) {
	cs := Catalogs{byLang: make(map[string]*Catalog, len(Languages))}
	for _, lang := range Languages {
		name := path.Join("catalog", lang+".yaml")
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return Catalogs{}, fmt.Errorf("load catalogue %s: %w", name, err)
		}
		c, err := ParseCatalog(lang, data)
		if err != nil {
			return Catalogs{}, fmt.Errorf("load catalogue %s: %w", name, err)
		}
		cs.byLang[lang] = c
	}
	return cs, nil
}

// ParseCatalog parses one language's flat YAML key → text map.
func ParseCatalog(lang string, data []byte) (*Catalog, error) {
	texts := map[string]string{}
	if err := yaml.Unmarshal(data, &texts); err != nil {
		return nil, fmt.Errorf("parse %s catalogue: %w", lang, err)
	}
	if len(texts) == 0 {
		return nil, fmt.Errorf("parse %s catalogue: no texts", lang)
	}
	tag, err := language.Parse(lang)
	if err != nil {
		return nil, fmt.Errorf("parse %s catalogue: language: %w", lang, err)
	}
	return &Catalog{lang: lang, texts: texts, printer: message.NewPrinter(tag)}, nil
}

// For returns the catalogue of lang, falling back to the default language
// when lang is empty or unsupported.
func (cs Catalogs) For(lang string) *Catalog {
	if c, ok := cs.byLang[lang]; ok {
		return c
	}
	return cs.byLang[DefaultLanguage]
}

// Pick returns the catalogue of lang, else of fallback (the configured
// default), else of DefaultLanguage; nil only when no catalogue is loaded.
func (cs Catalogs) Pick(lang, fallback string) *Catalog {
	if !cs.Has(lang) {
		lang = fallback
	}
	return cs.For(lang)
}

// Has reports whether lang has a catalogue.
func (cs Catalogs) Has(lang string) bool {
	_, ok := cs.byLang[lang]
	return ok
}

// Lang is the catalogue's language code.
func (c *Catalog) Lang() string { return c.lang }

// Keys lists the catalogue's keys, sorted.
func (c *Catalog) Keys() []string {
	keys := make([]string, 0, len(c.texts))
	for k := range c.texts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Has reports whether the catalogue defines key.
func (c *Catalog) Has(key string) bool {
	_, ok := c.texts[key]
	return ok
}

// T returns the text for key with each {name} replaced by its value from the
// name, value pairs in kv. A missing key yields "[key]" so that a gap in a
// catalogue shows in the report instead of stopping it.
func (c *Catalog) T(key string, kv ...string) string {
	text, ok := c.texts[key]
	if !ok {
		return "[" + key + "]"
	}
	if len(kv) == 0 {
		return text
	}
	// One pass over the text; this runs for every label of every report.
	var b strings.Builder
	b.Grow(len(text) + 16)
	for {
		open := strings.IndexByte(text, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(text[open:], '}')
		if end < 0 {
			break
		}
		b.WriteString(text[:open])
		name, value := text[open+1:open+end], text[open:open+end+1]
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i] == name {
				value = kv[i+1]
				break
			}
		}
		b.WriteString(value)
		text = text[open+end+1:]
	}
	b.WriteString(text)
	return b.String()
}

// Placeholders lists the {names} used in key's text, sorted and unique.
func (c *Catalog) Placeholders(key string) []string {
	text := c.texts[key]
	seen := map[string]bool{}
	var names []string
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			break
		}
		name := text[i+1 : i+j]
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
		text = text[i+j+1:]
	}
	sort.Strings(names)
	return names
}

// wording gives a report model its catalogue: the compositions in
// internal/pdf word labels with T in the report's language.
type wording struct {
	catalog *Catalog
}

// T words a catalogue key in the report's language; a model built without a
// catalogue shows the key itself, so nothing is silently blank.
func (w wording) T(key string, kv ...string) string {
	if w.catalog == nil {
		return "[" + key + "]"
	}
	return w.catalog.T(key, kv...)
}

// Catalog is the catalogue the report is worded from.
func (w wording) Catalog() *Catalog { return w.catalog }
