// Package templates embeds the text catalogues (nb, nn, en) the reports are
// worded from and the email bodies, so the binary needs no files beside it.
package templates

import "embed"

// FS holds catalog/ (report wording per language), mail/ (email bodies)
// and sheet/ (the spreadsheet template's instructions).
//
//go:embed catalog mail sheet
var FS embed.FS
