// Package pdftext reads the text back out of the PDFs this program writes,
// so tests can check what a report says without external tools. It knows
// the one encoding fpdf uses for embedded UTF-8 fonts (Identity-H, two-byte
// codes that are the Unicode code points) and reads other text as Latin-1;
// it is not a general PDF text extractor.
package pdftext

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// Pages returns the text of every page, in order. Text runs are separated by
// a space or, where the text moves to a new line, by a newline.
func Pages(data []byte) ([]string, error) {
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	ctx, err := api.ReadContext(bytes.NewReader(data), conf)
	if err != nil {
		return nil, fmt.Errorf("read pdf: %w", err)
	}
	if err := ctx.EnsurePageCount(); err != nil {
		return nil, fmt.Errorf("read pdf: %w", err)
	}
	pages := make([]string, 0, ctx.PageCount)
	for i := 1; i <= ctx.PageCount; i++ {
		r, err := pdfcpu.ExtractPageContent(ctx, i)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", i, err)
		}
		content := []byte{}
		if r != nil {
			if content, err = io.ReadAll(r); err != nil {
				return nil, fmt.Errorf("page %d: %w", i, err)
			}
		}
		pages = append(pages, text(content))
	}
	return pages, nil
}

// Text is all pages' text joined with form feeds.
func Text(data []byte) (string, error) {
	pages, err := Pages(data)
	return strings.Join(pages, "\f"), err
}

// text collects the strings shown by Tj and TJ operators of a content stream.
func text(content []byte) string {
	var out strings.Builder
	var run []string // strings since the last text operator
	for i := 0; i < len(content); i++ {
		switch c := content[i]; {
		case c == '(':
			s, n := literal(content[i:])
			run = append(run, s)
			i += n - 1
		case c == '<' && i+1 < len(content) && content[i+1] != '<':
			end := bytes.IndexByte(content[i:], '>')
			if end < 0 {
				return out.String()
			}
			run = append(run, hexString(content[i+1:i+end]))
			i += end
		case c == '%':
			for i < len(content) && content[i] != '\n' && content[i] != '\r' {
				i++
			}
		case isLetter(c):
			j := i
			for j < len(content) && (isLetter(content[j]) || content[j] == '*' || content[j] == '\'' || content[j] == '"') {
				j++
			}
			op := string(content[i:j])
			switch op {
			case "Tj", "TJ", "'", "\"":
				if out.Len() > 0 {
					out.WriteByte(' ')
				}
				for _, s := range run {
					out.WriteString(decode(s))
				}
			case "BT":
				if out.Len() > 0 {
					out.WriteByte('\n')
				}
			}
			if op != "BT" && op != "ET" {
				run = run[:0]
			} else {
				run = nil
			}
			i = j - 1
		}
	}
	return out.String()
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// literal reads a PDF literal string starting at '(' and returns its bytes
// and how many input bytes it took.
func literal(b []byte) (string, int) {
	var s []byte
	depth := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\\' && i+1 < len(b):
			i++
			switch e := b[i]; e {
			case 'n':
				s = append(s, '\n')
			case 'r':
				s = append(s, '\r')
			case 't':
				s = append(s, '\t')
			case 'b':
				s = append(s, '\b')
			case 'f':
				s = append(s, '\f')
			case '\r', '\n':
				// line continuation
			default:
				if e >= '0' && e <= '7' {
					v, n := 0, 0
					for n < 3 && i < len(b) && b[i] >= '0' && b[i] <= '7' {
						v = v*8 + int(b[i]-'0')
						i++
						n++
					}
					i--
					s = append(s, byte(v))
				} else {
					s = append(s, e)
				}
			}
		case c == '(':
			if depth > 0 {
				s = append(s, c)
			}
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return string(s), i + 1
			}
			s = append(s, c)
		default:
			s = append(s, c)
		}
	}
	return string(s), len(b)
}

func hexString(h []byte) string {
	var s []byte
	var hi int = -1
	for _, c := range h {
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'a' && c <= 'f':
			v = int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			v = int(c-'A') + 10
		default:
			continue
		}
		if hi < 0 {
			hi = v
		} else {
			s = append(s, byte(hi<<4|v))
			hi = -1
		}
	}
	if hi >= 0 {
		s = append(s, byte(hi<<4))
	}
	return string(s)
}

// decode turns fpdf's two-byte Unicode codes into text.
func decode(s string) string {
	if len(s)%2 != 0 {
		return s
	}
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return string(utf16.Decode(u))
}
