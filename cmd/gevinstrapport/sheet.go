package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/demo"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/sheet"
)

func cmdTemplate(args []string, stdout io.Writer, env config.Env) error {
	fs := newFlags("template")
	out := fs.String("out", "", "workbook to write (.xlsx)")
	cfgPath := fs.String("config", "", "configuration file; its language words the instructions (default nb)")
	example := fs.Bool("example", false, "fill the workbook with the demo register")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("template needs --out FILE.xlsx")
	}
	lang := "nb"
	if *cfgPath != "" {
		cfg, _, err := loadConfig(*cfgPath, env)
		if err != nil {
			return err
		}
		lang = cfg.Language
	}
	var reg *register.Register
	if *example {
		reg = demo.Generate(demo.Small)
	}
	var buf bytes.Buffer
	if err := sheet.WriteTemplate(&buf, lang, reg); err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	what := "empty register"
	if *example {
		what = "demo register"
	}
	fmt.Fprintf(stdout, "wrote the %s workbook to %s (instructions in %s)\n", what, *out, lang)
	return nil
}
