package webui

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// The dashboard's charts are drawn here as geometry and rendered as inline
// SVG by templates/partials/dashboard_charts.html, so every label goes
// through html/template's escaping like any other text. Horizontal
// positions are percentages of the chart's width and vertical ones pixels:
// the charts stretch to any width while their text keeps its size, from a
// 375 px phone to a wide screen.

// barChart is a horizontal bar chart: one row per category, its label and
// count above its bar, a value axis below.
type barChart struct {
	ID     string // prefix of the element ids
	Title  string
	Desc   string // the chart in words, for screen readers
	Height int
	Bars   []chartBar
	Ticks  []chartTick
	AxisY  int // the value axis' line
}

type chartBar struct {
	Label string
	Value int64
	Text  string // the value as shown: "1,234 (12%)"
	Href  string
	Tip   string // tooltip and accessible name
	Width float64
	Y     int // top of the row; label baseline at Y+14, bar at Y+20
}

// chartTick is a value axis mark: its label and where it sits (Pos is a
// percentage for a vertical line, pixels for a horizontal one), and where
// its label goes.
type chartTick struct {
	Label  string
	Pos    float64
	TextY  int
	Anchor string
}

const (
	barRowHeight = 40
	barAxisSpace = 22
)

// newBarChart lays out bars in the order given.
func newBarChart(id, title string, bars []chartBar) barChart {
	ch := barChart{ID: id, Title: title, Bars: bars}
	var most int64
	for _, b := range bars {
		most = max(most, b.Value)
	}
	top, step := chartScale(most, 4)
	for i := range ch.Bars {
		b := &ch.Bars[i]
		b.Y = i * barRowHeight
		b.Width = chartPct(float64(b.Value) / float64(top))
	}
	ch.AxisY = len(bars)*barRowHeight + 4
	ch.Height = ch.AxisY + barAxisSpace
	for v := int64(0); v <= top; v += step {
		t := chartTick{Label: chartShort(v), Pos: chartPct(float64(v) / float64(top)), TextY: ch.AxisY + 16, Anchor: "middle"}
		switch v {
		case 0:
			t.Anchor = "start"
		case top:
			t.Anchor = "end"
		}
		ch.Ticks = append(ch.Ticks, t)
	}
	return ch
}

// columnChart is a column chart over consecutive days.
type columnChart struct {
	ID      string
	Title   string
	Desc    string
	Height  int
	PlotTop int // pixels
	PlotH   int
	BaseY   int // the baseline's y
	LabelY  int // the dates' baseline
	Columns []chartColumn
	Grid    []chartTick // horizontal grid lines; Pos is their y
	XLabels []chartXLabel
	Rows    []chartRow // the data as a table, for screen readers
}

type chartColumn struct {
	X, Width float64 // percentages
	Y        int
	H        int
	SlotX    float64 // the day's whole slot, the tooltip's target
	SlotW    float64
	Tip      string
}

type chartXLabel struct {
	Label  string
	X      float64
	Anchor string // start, middle or end: the outer labels stay inside
}

type chartRow struct {
	Label string
	Value string
}

const (
	columnPlotTop    = 16
	columnPlotHeight = 140
	columnAxisSpace  = 24
)

// chartDay is one day's value for newDayChart.
type chartDay struct {
	Day   time.Time
	Count int64
}

// newDayChart lays out one column per day, oldest first, with a date
// under every seventh day counted back from the last.
func newDayChart(id, title string, days []chartDay) columnChart {
	ch := columnChart{ID: id, Title: title, PlotTop: columnPlotTop, PlotH: columnPlotHeight, BaseY: columnPlotTop + columnPlotHeight}
	ch.Height = ch.BaseY + columnAxisSpace
	ch.LabelY = ch.BaseY + 17
	var most, total int64
	peak := -1
	for i, d := range days {
		total += d.Count
		if d.Count > most {
			most, peak = d.Count, i
		}
	}
	top, step := chartScale(most, 4)
	slot := 100 / float64(chartMax1(len(days)))
	for i, d := range days {
		c := chartColumn{SlotX: chartRound(float64(i) * slot), SlotW: chartRound(slot), X: chartRound(float64(i)*slot + slot*0.15), Width: chartRound(slot * 0.7)}
		c.H = int(math.Round(float64(d.Count) / float64(top) * columnPlotHeight))
		if d.Count > 0 && c.H < 2 {
			c.H = 2 // a day with contacts never looks like an empty one
		}
		c.Y = ch.BaseY - c.H
		c.Tip = fmt.Sprintf("%s: %s new %s", d.Day.Format("Mon 2 Jan 2006"), thousands(strconv.FormatInt(d.Count, 10)), dashPlural(d.Count, "contact", "contacts"))
		ch.Columns = append(ch.Columns, c)
		ch.Rows = append(ch.Rows, chartRow{Label: d.Day.Format("2006-01-02"), Value: strconv.FormatInt(d.Count, 10)})
		if (len(days)-1-i)%7 == 0 {
			center := float64(i)*slot + slot/2
			anchor := "middle"
			switch {
			case center < 6:
				anchor, center = "start", float64(i)*slot
			case center > 94:
				anchor, center = "end", float64(i+1)*slot
			}
			ch.XLabels = append(ch.XLabels, chartXLabel{Label: d.Day.Format("2 Jan"), X: chartRound(center), Anchor: anchor})
		}
	}
	for v := int64(0); v <= top; v += step {
		y := ch.BaseY - int(math.Round(float64(v)/float64(top)*columnPlotHeight))
		ch.Grid = append(ch.Grid, chartTick{Label: chartShort(v), Pos: float64(y), TextY: y - 4, Anchor: "start"})
	}
	ch.Desc = fmt.Sprintf("%s new contacts in the last %d days", thousands(strconv.FormatInt(total, 10)), len(days))
	if peak >= 0 {
		ch.Desc += fmt.Sprintf("; most on %s (%s)", days[peak].Day.Format("2 January"), thousands(strconv.FormatInt(most, 10)))
	}
	ch.Desc += "."
	return ch
}

// chartScale picks an axis top at or above most and a round step (1, 2 or
// 5 times a power of ten) giving about ticks intervals. An empty chart
// gets the axis 0 to 1.
func chartScale(most int64, ticks int) (top, step int64) {
	if most <= 0 {
		return 1, 1
	}
	raw := float64(most) / float64(ticks)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = int64(math.Max(1, m*mag))
			break
		}
	}
	top = (most + step - 1) / step * step
	return top, step
}

// chartShort writes an axis value briefly: 950, 1.2k, 15k, 1.5M.
func chartShort(n int64) string {
	switch {
	case n >= 1_000_000:
		return chartTrim(float64(n)/1_000_000) + "M"
	case n >= 1_000:
		return chartTrim(float64(n)/1_000) + "k"
	default:
		return strconv.FormatInt(n, 10)
	}
}

func chartTrim(f float64) string {
	if f >= 10 || f == math.Trunc(f) {
		return strconv.FormatFloat(math.Round(f), 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'f', 1, 64)
}

// dashPercent writes a share (0..1) as a whole percentage, "<1%" for a small
// non-zero one.
func dashPercent(share float64) string {
	switch {
	case share <= 0:
		return "0%"
	case share < 0.01:
		return "<1%"
	case share > 0.99 && share < 1:
		return ">99%"
	default:
		return strconv.Itoa(int(math.Round(share*100))) + "%"
	}
}

func chartPct(share float64) float64 { return chartRound(math.Min(1, math.Max(0, share)) * 100) }

func chartRound(f float64) float64 { return math.Round(f*100) / 100 }

func chartMax1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

func dashPlural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
