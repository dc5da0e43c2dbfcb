// Package templates embeds the text catalogues (nb, nn, en) the reports are
// worded from and the email bodies, so the binary needs no files beside it.
package templates

import "embed"

// FS holds catalog/ (report wording per language) and mail/ (email bodies).
//
//go:embed catalog mail
var FS embed.FS
