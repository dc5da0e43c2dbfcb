// Package pdf draws block-based documents (headings, paragraphs, tables,
// key figures, vector charts) as A4 PDF files with embedded Go fonts.
//
// Report builders compose a Document from Blocks and hand it to an Engine,
// which is created once (it prepares the fonts) and is safe for concurrent use.
package pdf

import (
	"strconv"
	"strings"
	"time"

	"gevinstrapport/internal/register"
)

// Status is the traffic-light status a cell, key figure, badge or bar is
// coloured by; it is register.Status, and "" means no status colour.
type Status = register.Status

// Document is one PDF: its front matter, running header/footer and content blocks.
type Document struct {
	Title    string // large title on page 1, e.g. "Månedsrapport gevinstrealisering"
	Subtitle string // line under the title, e.g. recipient name and role
	Header   string // running header on every page, e.g. "september 2025 · data per 3. oktober 2025"
	// PageLabel words the footer page number, e.g. "Side 2 av 5"; nil gives "Side N av M".
	PageLabel func(page, total int) string
	Lang      string    // "nb", "nn" or "en": the PDF's language metadata
	Author    string    // PDF metadata: the organisation the report comes from
	Subject   string    // PDF metadata: what the report is about and its period
	Keywords  string    // PDF metadata: report kind, period and benefit ids, comma-separated
	Created   time.Time // PDF creation date, from the caller's clock; zero uses the time of rendering
	Blocks    []Block
}

// Block is one piece of document content; the concrete types are in this file.
type Block interface{ isBlock() }

// Heading is a section title; level 1 is large, 2 and 3 smaller. A heading is
// never left alone at the bottom of a page: it moves with the block after it.
type Heading struct {
	Level int
	Text  string
}

// TextStyle selects how a paragraph looks.
type TextStyle int

// Paragraph styles.
const (
	Normal     TextStyle = iota // body text
	Muted                       // smaller grey text, e.g. explanations and sources
	Warning                     // dark red text on a light red background, e.g. data problems
	Small                       // smaller body text
	Quote                       // body text on a light panel with an accent rule, e.g. the owner's own words
	Label                       // small bold grey text, e.g. the heading of a quote
	QuoteSmall                  // smaller text on the quote panel, e.g. a comment on a compact page
)

// Paragraph is wrapped running text.
type Paragraph struct {
	Text  string
	Style TextStyle
}

// Bullets is a bulleted list; each item wraps.
type Bullets struct {
	Items []string
}

// KeyFigure is one labelled figure, e.g. "Nullpunkt" / "12,0 %".
type KeyFigure struct {
	Label  string
	Value  string
	Status Status // "" for none; otherwise a coloured stripe beside the figure
	// StatusText is the status word shown as a badge under the value (colour is
	// never the only carrier of a status); "" shows only the stripe.
	StatusText string
	Note       string // optional small line under the value, e.g. "per september 2025"
}

// KeyFigures is a grid of labelled figures.
type KeyFigures struct {
	Items   []KeyFigure
	Columns int // figures per row; 0 means 4
	// Compact sets values smaller with less padding, and a status badge beside
	// the value where it fits, e.g. for the steering pack's one-page benefits.
	Compact bool
}

// Align is the horizontal alignment of a table column.
type Align int

// Column alignments.
const (
	AlignLeft Align = iota
	AlignRight
	AlignCenter
)

// Column is a table column; Width is relative to the other columns' widths
// (0 counts as 1).
type Column struct {
	Title string
	Width float64
	Align Align
}

// Cell is one table cell. With a Status the cell is drawn as a coloured badge
// with Text as its word (the caller supplies the word in the report language).
type Cell struct {
	Text   string
	Status Status
	Bold   bool
	Muted  bool
}

// Table is a table whose cells wrap; rows are zebra-striped and, with
// RepeatHeader, the header row repeats on every page the table spans.
type Table struct {
	Columns      []Column
	Rows         [][]Cell
	RepeatHeader bool
}

// StatusBadge is a single inline status badge with its word, e.g. beside a benefit title.
type StatusBadge struct {
	Status Status
	Text   string
}

// LegendItem is one entry of a status legend.
type LegendItem struct {
	Status Status
	Text   string
}

// Legend is a row of status badges with their explanations.
type Legend struct {
	Items []LegendItem
}

// Chart is a vector chart of the given height (mm) spanning the text width,
// or its column when it is one of a ChartRow's charts.
type Chart struct {
	Height float64 // mm; 0 means 70
	Title  string  // optional caption above the chart
	Spec   ChartSpec
}

// ChartRow draws charts next to each other in equal columns, each with its
// own caption and legend; the row is as tall as its tallest chart and moves
// to the next page as a whole when it does not fit.
type ChartRow struct {
	Charts []Chart
	Gap    float64 // mm between the columns; 0 means 6
	// Columns is how many columns the text width is split into; 0 means one
	// per chart. A row with fewer charts leaves the last columns empty, so
	// that a lone chart lines up with the full rows above it.
	Columns int
}

// PageBreak starts a new page.
type PageBreak struct{}

// Spacer is vertical white space of Height mm.
type Spacer struct {
	Height float64
}

// KeepTogether moves its blocks to the next page when they do not fit on the
// current one (unless they would not fit on an empty page either).
type KeepTogether struct {
	Blocks []Block
}

func (Heading) isBlock()     {}
func (Paragraph) isBlock()   {}
func (Bullets) isBlock()     {}
func (KeyFigures) isBlock()  {}
func (Table) isBlock()       {}
func (StatusBadge) isBlock() {}
func (Legend) isBlock()      {}
func (Chart) isBlock()       {}
func (ChartRow) isBlock()    {}
func (PageBreak) isBlock()   {}

// sectionGap separates two sections that flow on the same page.
var sectionGap = Spacer{Height: 8}

func (Spacer) isBlock()       {}
func (KeepTogether) isBlock() {}

// ChartSpec is what a Chart draws: TimeSeries, Bars or StackedBars.
type ChartSpec interface{ isChart() }

// TimePoint is one period's value; a nil Value is a gap (missing or suppressed).
type TimePoint struct {
	Time  time.Time
	Value *float64
}

// Step is one year's ambition, drawn as a step line from From to To.
type Step struct {
	From  time.Time
	To    time.Time
	Value float64
}

// Band is a light background fill for a status over a value range, e.g. the
// current year's green zone; From/To limit it in time (zero: the whole axis).
// Low/High may be ±Inf to reach the plot's edge.
type Band struct {
	Status Status
	Label  string // legend label, e.g. "Grønt område 2025"; "" leaves it out of the legend
	Word   string // the status word printed inside the zone, e.g. "Rød"; "" for none
	Low    float64
	High   float64
	From   time.Time
	To     time.Time
}

// Target is the final ambition: a value to reach by a date.
type Target struct {
	Date  time.Time
	Value float64
}

// TimeSeriesLabels are the legend labels in the report language; an empty
// label leaves the entry out of the legend.
type TimeSeriesLabels struct {
	Values         string // e.g. "Måling"
	Baseline       string // e.g. "Nullpunkt"
	YearlyAmbition string // e.g. "Årlig ambisjon"
	FinalAmbition  string // e.g. "Endelig ambisjon"
}

// TimeSeries is an indicator's values over time with its baseline, yearly
// ambitions (step line), final ambition and status bands.
type TimeSeries struct {
	Points         []TimePoint
	Baseline       *float64
	YearlyAmbition []Step
	FinalAmbition  *Target
	Bands          []Band
	Labels         TimeSeriesLabels
	// FormatValue formats axis values, e.g. "12,5 %"; nil uses %g.
	FormatValue func(float64) string
	// FormatTime formats x-axis ticks, e.g. "jan. 25"; nil uses "01/06".
	FormatTime func(time.Time) string
	ZeroBased  bool // y axis starts at 0 (when all values are positive)
	Small      bool // compact variant for the steering pack: fewer ticks, smaller text
	// MinStep is the smallest step between value ticks, e.g. 1 for a count
	// shown without decimals, so that no two ticks read the same; 0 for none.
	MinStep float64
	// Max caps the value axis (100 for a share) unless a value lies above it; 0 for none.
	Max float64
}

// Bar is one labelled bar; Target, when set, is drawn as a marker (e.g. ambition).
type Bar struct {
	Label  string
	Value  float64
	Status Status // colour of the bar; "" draws it in the neutral series colour
	Target *float64
	// ValueText is printed at the bar's end; "" uses FormatValue(Value).
	ValueText string
	// Empty marks an item without a value: only ValueText ("prikket", "–") is printed.
	Empty bool
	// Secondary, when set, is a second, lighter marker (e.g. the full
	// yearly ambition beside the year-to-date one in Target).
	Secondary *float64
}

// Bars is a bar chart with a status colour per bar.
type Bars struct {
	Items       []Bar
	Horizontal  bool
	FormatValue func(float64) string
	ValueLabel  string // legend label for the bars, e.g. "Realisert"; "" for none
	TargetLabel string // legend label for the target markers, e.g. "Ambisjon"; "" for none
	// SecondaryLabel is the legend label of the Secondary markers; "" for none.
	SecondaryLabel string
	// Dots draws each value as a dot on a value axis cut to the values'
	// range (marked with a break at its start) instead of a bar from zero:
	// for levels on a bounded scale, where bars hide small differences.
	Dots bool
	// Max caps the value axis (100 for a share) unless a value lies above it; 0 for none.
	Max float64
}

// Segment is one status's counts across all groups of a StackedBars chart.
type Segment struct {
	Status Status
	Label  string    // legend label, e.g. "Grønn"
	Values []float64 // one per group
}

// StackedBars stacks counts per status for each group, e.g. status per category.
type StackedBars struct {
	Groups      []string
	Segments    []Segment
	Horizontal  bool
	FormatValue func(float64) string
}

func (TimeSeries) isChart()  {}
func (Bars) isChart()        {}
func (StackedBars) isChart() {}

// RenderInfo tells what Render produced.
type RenderInfo struct {
	Pages    int
	Replaced []rune // characters the fonts lack, drawn as a replacement mark; each listed once
}

// texter words catalogue keys in a report's language; every report model has it.
type texter interface {
	T(key string, kv ...string) string
}

// frame is the document frame every report shares: title lines, running
// header, "Side N av M" in the report's language, and metadata.
func frame(t texter, title, subtitle, header, lang, subject string, created time.Time) Document {
	return Document{
		Title:    title,
		Subtitle: subtitle,
		Header:   header,
		PageLabel: func(page, total int) string {
			return t.T("doc.page", "page", strconv.Itoa(page), "total", strconv.Itoa(total))
		},
		Lang:    lang,
		Author:  "gevinstrapport",
		Subject: subject,
		Created: created,
	}
}

// authorOr is the PDF author: the organisation, or the program's name when
// the register names none.
func authorOr(organisation string) string {
	if organisation == "" {
		return "gevinstrapport"
	}
	return organisation
}

// keywords joins the PDF keywords: the report's title, its period and the
// ids of the benefits it covers.
func keywords(title, period string, benefitIDs []string) string {
	parts := append([]string{title, period}, benefitIDs...)
	return strings.Join(parts, ", ")
}
