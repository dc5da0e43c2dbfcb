package config

import (
	"fmt"
	"strings"

	"gevinstrapport/internal/brand"
	"gevinstrapport/templates"
)

// branding checks branding.colour's contrast and that branding.logo is a
// PNG or JPEG of sane size that decodes.
func (p *parser) branding(b *Branding) {
	b.Organisation = strings.TrimSpace(b.Organisation)
	if b.Colour != "" {
		c, err := brand.ParseColour(b.Colour)
		if err == nil {
			err = brand.CheckAccent(c)
		}
		if err != nil {
			p.addf("branding.colour", "%v", err)
		}
	}
	if b.Logo != "" {
		if _, err := brand.LoadLogo(b.Logo); err != nil {
			p.addf("branding.logo", "%v", err)
		}
	}
}

// templates checks every override in templates.dir; each problem names
// the override file, its line and the key.
func (p *parser) templates(t *Templates) {
	if t.Dir == "" {
		return
	}
	if _, err := templates.Open(t.Dir); err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			p.addf("templates.dir", "%s", line)
		}
	}
}

// Brand is the branding the reports are drawn with; the zero Brand when
// the configuration sets none. It reads the logo again, so a file changed
// since the configuration was loaded is checked anew.
func (c *Config) Brand() (brand.Brand, error) {
	b := brand.Brand{Organisation: c.Branding.Organisation}
	if c.Branding.Colour != "" {
		col, err := brand.ParseColour(c.Branding.Colour)
		if err != nil {
			return brand.Brand{}, fmt.Errorf("%w: %s: branding.colour: %v", ErrConfig, c.Path, err)
		}
		b.Accent = &col
	}
	if c.Branding.Logo != "" {
		l, err := brand.LoadLogo(c.Branding.Logo)
		if err != nil {
			return brand.Brand{}, fmt.Errorf("%w: %s: branding.logo: %v", ErrConfig, c.Path, err)
		}
		b.Logo = l
	}
	return b, nil
}
