package main
import (
 _ "codeberg.org/go-pdf/fpdf"
 _ "golang.org/x/image/font/gofont/goregular"
 _ "github.com/go-analyze/charts/chartdraw"
 _ "github.com/go-sql-driver/mysql"
 _ "modernc.org/sqlite"
 _ "github.com/robfig/cron/v3"
 _ "github.com/wneessen/go-mail"
 _ "github.com/emersion/go-smtp"
 _ "go.yaml.in/yaml/v3"
 _ "github.com/prometheus/client_golang/prometheus"
 _ "golang.org/x/text/message"
 _ "github.com/pdfcpu/pdfcpu/pkg/api"
)
func main(){}
