package pdf

import (
	"slices"
	"strings"
	"testing"
)

// naiveWrap is the straightforward wrap that measures every candidate line
// as a whole; wrap must break lines exactly as it does.
func naiveWrap(p *layout, s string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		words := breakable(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		line := ""
		for _, word := range words {
			cand := word
			if line != "" {
				cand = line + " " + word
			}
			if p.width(cand) <= w {
				line = cand
				continue
			}
			if line != "" {
				lines = append(lines, line)
				line = ""
			}
			for p.width(word) > w {
				runes := []rune(word)
				n := 1
				for n < len(runes) && p.width(string(runes[:n+1])) <= w {
					n++
				}
				lines = append(lines, string(runes[:n]))
				word = string(runes[n:])
			}
			line = word
		}
		lines = append(lines, line)
	}
	return lines
}

func TestWrapMatchesNaiveWrap(t *testing.T) {
	e := newEngine(t)
	long := "Økt bruk av digitale innbyggertjenester i HelsaMi – timebestilling, sikre meldinger, egenregistrering av helseopplysninger og innsyn i egen journal – for innbyggerne i alle kommuner som har tatt i bruk Helseplattformen"
	tests := []struct {
		name string
		text string
		bold bool
		size float64
		w    float64
	}{
		{name: "long title, wide", text: long, bold: true, size: sizeH1, w: contentWidth},
		{name: "long title, narrow column", text: long, size: sizeTable, w: 30},
		{name: "word longer than the line", text: "Utskrivningsklarepasientdøgnsregistreringsrutine i Porsáŋgu – Porsanger", size: sizeBody, w: 25},
		{name: "very narrow", text: "Snåase – Snåsa", size: sizeBody, w: 2},
		{name: "newlines and blank lines", text: "første linje\n\n  andre   linje med   flere mellomrom  \n", size: sizeSmall, w: 40},
		{name: "empty", text: "", size: sizeBody, w: 50},
		{name: "exactly one word", text: "Grønn", bold: true, size: 7, w: 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := benchLayout(t, e)
			r.font(tt.bold, tt.size)
			want := naiveWrap(r, tt.text, tt.w)
			got := r.wrap(tt.text, tt.w)
			if !slices.Equal(got, want) {
				t.Errorf("wrap = %q\nwant   %q", got, want)
			}
			if again := r.wrap(tt.text, tt.w); !slices.Equal(again, want) {
				t.Errorf("second wrap (remembered) = %q, want %q", again, want)
			}
			r.font(!tt.bold, tt.size+3)
			if other := r.wrap(tt.text, tt.w); !slices.Equal(other, naiveWrap(r, tt.text, tt.w)) {
				t.Errorf("wrap in another font returned lines remembered for the first font: %q", other)
			}
		})
	}
}

func TestNoBreakSpaceKeepsAmountsTogether(t *testing.T) {
	e := newEngine(t)
	r := benchLayout(t, e)
	r.font(false, sizeBody)
	amount := "7\u00a0624\u00a0000\u00a0kr"
	w := r.width("Realisert: "+amount) - 1 // too narrow for the whole line
	lines := r.wrap("Realisert: "+amount, w)
	if !slices.Equal(lines, []string{"Realisert:", amount}) {
		t.Errorf("wrap = %q; want the amount kept whole on the second line", lines)
	}
}

func TestKeyFigureValueShrinksInsteadOfSplittingAWord(t *testing.T) {
	e := newEngine(t)
	r := benchLayout(t, e)
	k := KeyFigure{Label: "Siste verdi", Value: "2,66\u00a0per 1000 innleggelser"}
	r.font(true, kfValueSize)
	w := r.width("innleggelser") * 0.8 // the word does not fit at full size
	l := r.keyFigureLines(k, w)
	if l.valueSize >= kfValueSize || l.valueSize < kfMinValueSize {
		t.Errorf("value size = %v, want smaller than %v and at least %v", l.valueSize, kfValueSize, kfMinValueSize)
	}
	for _, line := range l.value {
		if strings.HasPrefix("innleggelser", line) && line != "innleggelser" {
			t.Errorf("the word was split: lines %q", l.value)
		}
	}
}
