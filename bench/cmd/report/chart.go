package main

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// A panel of the chart: one engine, groups of bars (one group per
// operation, one bar per library), heights as time ratios to raw.
type panel struct {
	title  string
	groups []string    // operations
	libs   []string    // bar series (raw excluded: it is the 1.0 line)
	values [][]float64 // values[group][lib]; NaN = no bar
}

var (
	white     = color.RGBA{255, 255, 255, 255}
	black     = color.RGBA{20, 20, 20, 255}
	gray      = color.RGBA{110, 110, 110, 255}
	gridColor = color.RGBA{225, 225, 225, 255}
	oneColor  = color.RGBA{200, 30, 30, 255}
)

// libColors are the series' colours; kinglet stands out.
var libColors = map[string]color.RGBA{
	"kinglet":     {31, 100, 200, 255},
	"kinglet-pgx": {20, 40, 120, 255},
	"pgx":         {120, 120, 120, 255},
	"sqlx":        {240, 160, 20, 255},
	"bun":         {40, 160, 70, 255},
	"gorm":        {150, 80, 170, 255},
}

func seriesColor(lib string) color.RGBA {
	if c, ok := libColors[lib]; ok {
		return c
	}
	return color.RGBA{90, 170, 200, 255}
}

const (
	chartWidth  = 1400
	panelHeight = 470
	headHeight  = 70
	marginLeft  = 90
	marginRight = 30
	plotTop     = 70 // inside a panel: title and legend above the plot
	plotBottom  = 60 // inside a panel: operation labels below the plot
)

// drawChart renders the panels one under the other, under a title.
func drawChart(w io.Writer, title, subtitle string, panels []panel) error {
	img := image.NewRGBA(image.Rect(0, 0, chartWidth, headHeight+len(panels)*panelHeight))
	draw.Draw(img, img.Bounds(), &image.Uniform{white}, image.Point{}, draw.Src)
	drawText(img, chartWidth/2, 8, title, black, 2, alignCenter)
	drawText(img, chartWidth/2, 42, subtitle, gray, 1, alignCenter)
	for i, p := range panels {
		drawPanel(img, image.Rect(0, headHeight+i*panelHeight, chartWidth, headHeight+(i+1)*panelHeight), p)
	}
	return png.Encode(w, img)
}

func drawPanel(img *image.RGBA, r image.Rectangle, p panel) {
	drawText(img, r.Min.X+marginLeft, r.Min.Y+10, p.title, black, 2, alignLeft)
	// Legend, right-aligned on the title line.
	x := r.Max.X - marginRight
	for i := len(p.libs) - 1; i >= 0; i-- {
		lib := p.libs[i]
		x -= textWidth(lib, 1) + 8
		drawText(img, x+textWidth(lib, 1), r.Min.Y+16, lib, black, 1, alignRight)
		x -= 16
		fill(img, image.Rect(x, r.Min.Y+16, x+14, r.Min.Y+30), seriesColor(lib))
		x -= 14
	}

	plot := image.Rect(r.Min.X+marginLeft, r.Min.Y+plotTop, r.Max.X-marginRight, r.Max.Y-plotBottom)
	top := 1.25
	for _, g := range p.values {
		for _, v := range g {
			if !math.IsNaN(v) {
				top = math.Max(top, v*1.12)
			}
		}
	}
	step := niceStep(top)
	top = math.Ceil(top/step) * step
	yOf := func(v float64) int {
		return plot.Max.Y - int(math.Round(v/top*float64(plot.Dy())))
	}
	// Grid and y labels.
	for v := 0.0; v <= top+step/2; v += step {
		y := yOf(v)
		hline(img, plot.Min.X, plot.Max.X, y, gridColor, 1)
		if math.Abs(v-1) > step/100 {
			drawText(img, plot.Min.X-8, y-6, fmt.Sprintf("%.3gx", v), gray, 1, alignRight)
		}
	}
	drawText(img, plot.Min.X-8, yOf(1)-6, "raw 1x", oneColor, 1, alignRight)
	drawTextVertical(img, r.Min.X+14, (plot.Min.Y+plot.Max.Y)/2, "time / raw database/sql", gray)

	// Bars.
	ng, nl := len(p.groups), len(p.libs)
	if ng > 0 && nl > 0 {
		gw := float64(plot.Dx()) / float64(ng)
		bw := math.Min(56, (gw*0.8)/float64(nl))
		for g, name := range p.groups {
			x0 := float64(plot.Min.X) + gw*float64(g) + (gw-bw*float64(nl))/2
			for l, lib := range p.libs {
				v := p.values[g][l]
				if math.IsNaN(v) {
					continue
				}
				bx := int(math.Round(x0 + bw*float64(l)))
				bx1 := int(math.Round(x0+bw*float64(l+1))) - 3
				fill(img, image.Rect(bx, yOf(v), bx1, plot.Max.Y), seriesColor(lib))
				label := fmt.Sprintf("%.2f", v)
				drawText(img, (bx+bx1)/2, yOf(v)-15, label, black, 1, alignCenter)
			}
			drawText(img, int(float64(plot.Min.X)+gw*(float64(g)+0.5)), plot.Max.Y+12, name, black, 2, alignCenter)
		}
	}
	// Axes and the 1.0 line (raw) on top of the bars.
	hline(img, plot.Min.X, plot.Max.X, plot.Max.Y, black, 2)
	vline(img, plot.Min.X, plot.Min.Y, plot.Max.Y, black, 2)
	y1 := yOf(1)
	for x := plot.Min.X; x < plot.Max.X; x += 14 {
		hline(img, x, min(x+9, plot.Max.X), y1, oneColor, 2)
	}
}

// niceStep is a grid step giving 4 to 10 lines up to top.
func niceStep(top float64) float64 {
	for _, s := range []float64{0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100} {
		if top/s <= 10 {
			return s
		}
	}
	return math.Pow(10, math.Ceil(math.Log10(top/10)))
}

func fill(img *image.RGBA, r image.Rectangle, c color.Color) {
	draw.Draw(img, r.Intersect(img.Bounds()), &image.Uniform{c}, image.Point{}, draw.Src)
}

func hline(img *image.RGBA, x0, x1, y int, c color.Color, width int) {
	fill(img, image.Rect(x0, y-width/2, x1, y-width/2+width), c)
}

func vline(img *image.RGBA, x, y0, y1 int, c color.Color, width int) {
	fill(img, image.Rect(x-width/2, y0, x-width/2+width, y1), c)
}

type align int

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

var face = basicfont.Face7x13

func textWidth(s string, scale int) int {
	return font.MeasureString(face, s).Round() * scale
}

// textImage renders s once at the font's own size.
func textImage(s string, c color.Color) *image.RGBA {
	w := max(1, font.MeasureString(face, s).Round())
	h := face.Metrics().Height.Round()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face, Dot: fixed.P(0, face.Metrics().Ascent.Round())}
	d.DrawString(s)
	return img
}

// drawText draws s with its top at y, scaled by an integer factor (nearest
// neighbour, so the bitmap font stays crisp), aligned on x.
func drawText(dst *image.RGBA, x, y int, s string, c color.Color, scale int, a align) {
	src := textImage(s, c)
	w := src.Bounds().Dx() * scale
	switch a {
	case alignCenter:
		x -= w / 2
	case alignRight:
		x -= w
	}
	b := src.Bounds()
	for sy := b.Min.Y; sy < b.Max.Y; sy++ {
		for sx := b.Min.X; sx < b.Max.X; sx++ {
			px := src.RGBAAt(sx, sy)
			if px.A == 0 {
				continue
			}
			fill(dst, image.Rect(x+sx*scale, y+sy*scale, x+(sx+1)*scale, y+(sy+1)*scale), px)
		}
	}
}

// drawTextVertical draws s rotated a quarter turn anticlockwise, centred on
// (x, y).
func drawTextVertical(dst *image.RGBA, x, y int, s string, c color.Color) {
	src := textImage(s, c)
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	for sy := 0; sy < h; sy++ {
		for sx := 0; sx < w; sx++ {
			px := src.RGBAAt(sx, sy)
			if px.A == 0 {
				continue
			}
			dx, dy := x-h/2+sy, y+w/2-sx
			if image.Pt(dx, dy).In(dst.Bounds()) {
				dst.SetRGBA(dx, dy, px)
			}
		}
	}
}
