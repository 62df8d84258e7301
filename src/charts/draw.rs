//! Drawing: the frame (title, subtitle, footnote) and one function per kind of body. Category labels are
//! drawn at the positions the chart's coordinates give, so long Swedish names can wrap.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::theme::{number, percent, sek, FONT, GRID, INK, LABEL_SIZE, MUTED, NOTE_SIZE, PALETTE, SUBTITLE_SIZE, TICK_SIZE, TITLE_SIZE};
use super::{AmountRow, Bar, Bubble, CurveSeries, DrawResult, DumbbellRow, LineSeries};
use crate::codes::Lang;
use crate::disclosure::Cell;

/// The chart's mesh in the theme: axis titles and tick labels in ink, light grid lines only at the labels.
macro_rules! themed_mesh {
    ($chart:expr) => {
        $chart
            .configure_mesh()
            .axis_desc_style(text_style(LABEL_SIZE, &INK))
            .label_style(text_style(TICK_SIZE, &INK))
            .light_line_style(WHITE)
            .bold_line_style(GRID)
    };
}

fn text_style(size: f64, color: &RGBColor) -> TextStyle<'static> {
    (FONT, size).into_font().color(color)
}

fn bold(size: f64, color: &RGBColor) -> TextStyle<'static> {
    (FONT, size).into_font().style(FontStyle::Bold).color(color)
}

/// A point of the backend (what `backend_coord` gives) in the coordinates of `area`.
fn local<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, (x, y): (i32, i32)) -> (i32, i32) {
    let (bx, by) = area.get_base_pixel();
    (x - bx, y - by)
}

/// Splits text into lines of at most `width` characters at spaces; a word longer than a line is broken
/// with a hyphen (Swedish compounds such as "Aktivitetsersättning" are long).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(4);
    let mut words: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() <= width {
            words.push(word.to_string());
        } else {
            let piece = width - 1;
            let mut start = 0;
            while chars.len() - start > width {
                words.push(chars[start..start + piece].iter().collect::<String>() + "-");
                start += piece;
            }
            words.push(chars[start..].iter().collect());
        }
    }
    let mut lines: Vec<String> = Vec::new();
    for word in words.iter().map(String::as_str) {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

fn draw_lines<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, lines: &[String], (x, y): (i32, i32), style: &TextStyle, step: i32) -> DrawResult
where
    DB::ErrorType: 'static,
{
    for (i, line) in lines.iter().enumerate() {
        area.draw(&Text::new(line.clone(), (x, y + i as i32 * step), style.clone()))?;
    }
    Ok(())
}

/// White background, title, subtitle and footnote; returns the area left for the chart.
pub fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
    footnote: &str,
) -> Result<DrawingArea<DB, Shift>, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let (_, height) = root.dim_in_pixel();
    let (top, rest) = root.split_vertically(118);
    // The footnote's area grows with its lines (source, synthetic data, the protection's legend), so its last
    // line is never cut off at the picture's edge.
    let note_lines = wrap(footnote, 150);
    let bottom_height = 18 + 19 * note_lines.len().max(2) as i32;
    let (body, bottom) = rest.split_vertically(height as i32 - 118 - bottom_height);
    top.draw(&Text::new(title.to_string(), (40, 22), bold(TITLE_SIZE, &INK)))?;
    draw_lines(&top, &wrap(subtitle, 110), (40, 68), &text_style(SUBTITLE_SIZE, &MUTED), 24)?;
    draw_lines(&bottom, &note_lines, (40, 8), &text_style(NOTE_SIZE, &MUTED), 19)?;
    Ok(body.margin(8, 8, 24, 48))
}

/// A message in the middle of the chart area ("no participants").
pub fn message<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, text: &str) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (w, h) = area.dim_in_pixel();
    let style = text_style(26.0, &MUTED).pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new(text.to_string(), (w as i32 / 2, h as i32 / 2), style))?;
    Ok(())
}

/// A chart with shares (0–100 %) along x and one row per category along y, categories labelled at the left.
fn share_rows<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    rows: usize,
    (top, right, label_width): (i32, i32, i32),
    x_label: &str,
    lang: Lang,
) -> Result<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let mut chart = ChartBuilder::on(area)
        .margin_top(top)
        .margin_right(right)
        .x_label_area_size(60)
        .y_label_area_size(label_width)
        .build_cartesian_2d(0f64..1f64, -0.5f64..(rows as f64 - 0.5))?;
    let pct = |v: &f64| percent(*v, 0, lang);
    themed_mesh!(chart).disable_y_mesh().y_labels(0).x_labels(6).x_label_formatter(&pct).x_desc(x_label).draw()?;
    Ok(chart)
}

/// A category's name, right-aligned at the left of its row, on at most two lines.
fn row_label<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, (x, y): (i32, i32), label: &str, width: usize) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let mut lines = wrap(label, width);
    lines.truncate(2);
    let offset = 10 * (lines.len() as i32 - 1);
    draw_lines(area, &lines, (x - 12, y - offset), &text_style(TICK_SIZE, &INK).pos(Pos::new(HPos::Right, VPos::Center)), 20)
}

/// Outcome shares as horizontal bars (long Swedish names fit at the left) with 95 % whiskers, the share
/// and the n beside each bar.
pub fn bars<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, bars: &[Bar], x_label: &str, lang: Lang) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = bars.len().max(1);
    let mut chart = share_rows(area, n, (0, 40, 270), x_label, lang)?;
    let half = (0.36f64).min(0.3 + 0.02 * (12 - n.min(12)) as f64);
    for (i, bar) in bars.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        let mut end = 0.0;
        if let Some((p, lo, hi)) = bar.value {
            chart.draw_series(std::iter::once(Rectangle::new([(0.0, y - half), (p, y + half)], PALETTE[0].filled())))?;
            let whisker = ShapeStyle::from(&INK).stroke_width(2);
            chart.draw_series(std::iter::once(PathElement::new(vec![(lo, y), (hi, y)], whisker)))?;
            for x in [lo, hi] {
                chart.draw_series(std::iter::once(PathElement::new(vec![(x, y - 0.12), (x, y + 0.12)], whisker)))?;
            }
            end = hi;
        }
        let (px, py) = local(area, chart.backend_coord(&(end, y)));
        let value = bar.value.map(|(p, _, _)| percent(p, 1, lang)).unwrap_or_default();
        area.draw(&Text::new(value, (px + 10, py), bold(TICK_SIZE, &INK).pos(Pos::new(HPos::Left, VPos::Center))))?;
        let offset = if bar.value.is_some() { 82 } else { 0 };
        area.draw(&Text::new(bar.note.clone(), (px + 10 + offset, py), text_style(NOTE_SIZE, &MUTED).pos(Pos::new(HPos::Left, VPos::Center))))?;
        row_label(area, local(area, chart.backend_coord(&(0.0, y))), &bar.label, 28)?;
    }
    Ok(())
}

/// Each row: the first period's share (orange) joined to the second's (blue), the change beside it.
pub fn dumbbell<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[DumbbellRow],
    a_label: &str,
    b_label: &str,
    x_label: &str,
    lang: Lang,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = rows.len().max(1);
    let mut chart = share_rows(area, n, (44, 310, 250), x_label, lang)?;
    for (i, row) in rows.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        if let (Some(a), Some(b)) = (row.a, row.b) {
            chart.draw_series(std::iter::once(PathElement::new(vec![(a, y), (b, y)], ShapeStyle::from(&MUTED).stroke_width(4))))?;
        }
        if let Some(a) = row.a {
            chart.draw_series(std::iter::once(Circle::new((a, y), 9, PALETTE[1].filled())))?;
        }
        if let Some(b) = row.b {
            chart.draw_series(std::iter::once(Circle::new((b, y), 9, PALETTE[0].filled())))?;
        }
        row_label(area, local(area, chart.backend_coord(&(0.0, y))), &row.label, 24)?;
        let (nx, ny) = local(area, chart.backend_coord(&(1.0, y)));
        area.draw(&Text::new(row.note.clone(), (nx + 24, ny), text_style(TICK_SIZE, &INK).pos(Pos::new(HPos::Left, VPos::Center))))?;
    }
    // Legend and the heading of the notes, above the plot.
    let (lx, _) = local(area, chart.backend_coord(&(0.0, 0.0)));
    for (j, (label, color)) in [(a_label, PALETTE[1]), (b_label, PALETTE[0])].iter().enumerate() {
        let x = lx + j as i32 * 220;
        area.draw(&Circle::new((x + 8, 16), 8, color.filled()))?;
        area.draw(&Text::new(label.to_string(), (x + 24, 16), text_style(TICK_SIZE, &INK).pos(Pos::new(HPos::Left, VPos::Center))))?;
    }
    let (nx, _) = local(area, chart.backend_coord(&(1.0, 0.0)));
    let head = lang.pick("Förändring (95 % intervall)", "Change (95% interval)").to_string();
    area.draw(&Text::new(head, (nx + 24, 16), bold(TICK_SIZE, &INK).pos(Pos::new(HPos::Left, VPos::Center))))?;
    Ok(())
}

/// Cost per positive outcome against the outcome share; bubble area by participants.
pub fn bubbles<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, points: &[Bubble], x_label: &str, y_label: &str, lang: Lang) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let max_cost = points.iter().map(|p| p.cost).fold(0.0, f64::max).max(1.0) * 1.2;
    let max_share = points.iter().map(|p| p.share).fold(0.0, f64::max).max(0.1);
    let x_max = ((max_share * 10.0).ceil() / 10.0 + 0.1).min(1.0);
    let max_people = points.iter().map(|p| p.participants).max().unwrap_or(1).max(1) as f64;
    let mut chart = ChartBuilder::on(area).x_label_area_size(60).y_label_area_size(130).build_cartesian_2d(0f64..x_max, 0f64..max_cost)?;
    let pct = |v: &f64| percent(*v, 0, lang);
    let money = |v: &f64| sek(*v, lang);
    themed_mesh!(chart).x_label_formatter(&pct).y_label_formatter(&money).x_desc(x_label).y_desc(y_label).draw()?;
    // Bubbles first; then each label beside its bubble, on the first side that covers no bubble and no
    // label placed before.
    let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
    let mut centres = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let radius = (8.0 + 30.0 * (p.participants as f64 / max_people).sqrt()) as i32;
        let color = PALETTE[i % PALETTE.len()];
        chart.draw_series(std::iter::once(Circle::new((p.share, p.cost), radius, color.mix(0.55).filled())))?;
        chart.draw_series(std::iter::once(Circle::new((p.share, p.cost), radius, ShapeStyle::from(&color).stroke_width(2))))?;
        let (px, py) = local(area, chart.backend_coord(&(p.share, p.cost)));
        placed.push((px - radius, py - radius, 2 * radius, 2 * radius));
        centres.push((px, py, radius));
    }
    for (p, &(px, py, radius)) in points.iter().zip(&centres) {
        let width = p.label.chars().count() as i32 * 9 + 4;
        let mut candidates = vec![
            (px + radius + 6, py - 10),
            (px - radius - 6 - width, py - 10),
            (px - width / 2, py - radius - 24),
            (px - width / 2, py + radius + 4),
        ];
        for dy in [-34, 34, -58, 58, -82, 82, -106, 106] {
            candidates.push((px + radius + 14, py - 10 + dy));
            candidates.push((px - radius - 14 - width, py - 10 + dy));
        }
        let free = |&(x, y): &(i32, i32)| placed.iter().all(|&(a, b, w, h)| x + width < a || a + w < x || y + 20 < b || b + h < y);
        let chosen = candidates.iter().position(free).unwrap_or(0);
        let (x, y) = candidates[chosen];
        placed.push((x, y, width, 20));
        if chosen >= 4 {
            // Away from its bubble: a thin leader line says whose label it is.
            let end = if x > px { (x - 2, y + 10) } else { (x + width, y + 10) };
            area.draw(&PathElement::new(vec![(px, py), end], ShapeStyle::from(&MUTED).stroke_width(1)))?;
        }
        area.draw(&Text::new(p.label.clone(), (x, y + 10), text_style(TICK_SIZE, &INK).pos(Pos::new(HPos::Left, VPos::Center))))?;
    }
    Ok(())
}

/// A chart with one column per year (labelled under the axis) and kronor up the side.
fn money_by_year<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    years: &[i32],
    max: f64,
    y_label: &str,
    lang: Lang,
) -> Result<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let n = years.len().max(1);
    let mut chart = ChartBuilder::on(area)
        .margin_top(40)
        .x_label_area_size(50)
        .y_label_area_size(150)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..max)?;
    let money = |v: &f64| sek(*v, lang);
    themed_mesh!(chart).disable_x_mesh().x_labels(0).y_label_formatter(&money).y_desc(y_label).draw()?;
    for (i, year) in years.iter().enumerate() {
        let (px, py) = local(area, chart.backend_coord(&(i as f64, 0.0)));
        area.draw(&Text::new(year.to_string(), (px, py + 8), text_style(TICK_SIZE, &INK).pos(Pos::new(HPos::Center, VPos::Top))))?;
    }
    Ok(chart)
}

fn legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, items: &[(String, RGBColor)], x: i32, y: i32) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let mut cx = x;
    for (label, color) in items {
        area.draw(&Rectangle::new([(cx, y - 8), (cx + 18, y + 8)], color.filled()))?;
        area.draw(&Text::new(label.clone(), (cx + 26, y), text_style(TICK_SIZE, &INK).pos(Pos::new(HPos::Left, VPos::Center))))?;
        cx += 26 + (label.chars().count() as i32 * 10) + 28;
    }
    Ok(())
}

/// Money per year, stacked by payer, with the reference split marked on each bar.
pub fn stacked_years<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    years: &[i32],
    series: &[(String, Vec<f64>)],
    reference: &[(f64, String)],
    y_label: &str,
    lang: Lang,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let totals: Vec<f64> = (0..years.len()).map(|i| series.iter().map(|(_, v)| v[i]).sum()).collect();
    let max = totals.iter().cloned().fold(0.0, f64::max).max(1.0) * 1.12;
    let mut chart = money_by_year(area, years, max, y_label, lang)?;
    for i in 0..years.len() {
        let x = i as f64;
        let mut base = 0.0;
        for (s, (_, values)) in series.iter().enumerate() {
            let top = base + values[i];
            chart.draw_series(std::iter::once(Rectangle::new([(x - 0.32, base), (x + 0.32, top)], PALETTE[s % PALETTE.len()].filled())))?;
            base = top;
        }
        for (share, _) in reference {
            let y = totals[i] * share;
            chart.draw_series(std::iter::once(PathElement::new(vec![(x - 0.4, y), (x + 0.4, y)], ShapeStyle::from(&BLACK).stroke_width(2))))?;
        }
    }
    let mut items: Vec<(String, RGBColor)> = series.iter().enumerate().map(|(s, (label, _))| (label.clone(), PALETTE[s % PALETTE.len()])).collect();
    if let Some((_, label)) = reference.first() {
        items.push((label.clone(), BLACK));
    }
    legend(area, &items, 160, 14)?;
    Ok(())
}

/// Budget (light) and actual (dark) side by side for each year.
pub fn budget_actual<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    years: &[i32],
    budget: &[f64],
    actual: &[f64],
    y_label: &str,
    lang: Lang,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let max = budget.iter().chain(actual).cloned().fold(0.0, f64::max).max(1.0) * 1.15;
    let mut chart = money_by_year(area, years, max, y_label, lang)?;
    for i in 0..years.len() {
        let x = i as f64;
        chart.draw_series(std::iter::once(Rectangle::new([(x - 0.36, 0.0), (x - 0.02, budget[i])], PALETTE[4].filled())))?;
        chart.draw_series(std::iter::once(Rectangle::new([(x + 0.02, 0.0), (x + 0.36, actual[i])], PALETTE[0].filled())))?;
        if budget[i] > 0.0 {
            let (px, py) = local(area, chart.backend_coord(&(x + 0.19, actual[i])));
            let text = percent(actual[i] / budget[i], 0, lang);
            area.draw(&Text::new(text, (px, py - 6), text_style(NOTE_SIZE, &INK).pos(Pos::new(HPos::Center, VPos::Bottom))))?;
        }
    }
    legend(
        area,
        &[
            (lang.pick("Budget", "Budget").to_string(), PALETTE[4]),
            (lang.pick("Utfall (andel av budget)", "Actual (share of budget)").to_string(), PALETTE[0]),
        ],
        160,
        14,
    )?;
    Ok(())
}

/// Kaplan–Meier curves as steps with their 95 % bands.
pub fn curves<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, curves: &[CurveSeries], x_label: &str, y_label: &str, lang: Lang) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let max_x = curves.iter().flat_map(|c| c.steps.iter().map(|s| s.0)).fold(1.0, f64::max);
    let mut chart = ChartBuilder::on(area).x_label_area_size(60).y_label_area_size(90).build_cartesian_2d(0f64..max_x, 0f64..1.02f64)?;
    let pct = |v: &f64| percent(*v, 0, lang);
    let months = |v: &f64| number(*v, 0, lang);
    themed_mesh!(chart).x_label_formatter(&months).y_label_formatter(&pct).x_desc(x_label).y_desc(y_label).draw()?;
    for (k, curve) in curves.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        // Steps: hold each value until the next time.
        let mut line = vec![(0.0, 1.0)];
        let mut upper = vec![(0.0, 1.0)];
        let mut lower = vec![(0.0, 1.0)];
        for &(t, s, lo, hi) in &curve.steps {
            let previous = *line.last().expect("starts at 1");
            line.push((t, previous.1));
            line.push((t, s));
            let (pu, pl) = (upper.last().expect("starts at 1").1, lower.last().expect("starts at 1").1);
            upper.push((t, pu));
            lower.push((t, pl));
            upper.push((t, hi.unwrap_or(s)));
            lower.push((t, lo.unwrap_or(s)));
        }
        let mut band = upper.clone();
        band.extend(lower.iter().rev());
        chart.draw_series(std::iter::once(Polygon::new(band, color.mix(0.18).filled())))?;
        chart
            .draw_series(std::iter::once(PathElement::new(line, ShapeStyle::from(&color).stroke_width(3))))?
            .label(curve.label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], ShapeStyle::from(&color).stroke_width(4)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font(text_style(TICK_SIZE, &INK))
        .background_style(WHITE.mix(0.9))
        .border_style(GRID)
        .draw()?;
    Ok(())
}

/// A table of counts as coloured cells, the count (or its suppression marker) written in each.
pub fn heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[String],
    cols: &[String],
    cells: &[Vec<Cell>],
    row_label: &str,
    col_label: &str,
    lang: Lang,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (w, h) = area.dim_in_pixel();
    let (left, top, bottom) = (250i32, 40i32, 80i32);
    let cw = (w as i32 - left - 10) / cols.len().max(1) as i32;
    let ch = ((h as i32 - top - bottom) / rows.len().max(1) as i32).min(80);
    let max = cells.iter().flatten().filter_map(|c| c.shown()).max().unwrap_or(1).max(1) as f64;
    area.draw(&Text::new(col_label.to_string(), (left, 12), bold(TICK_SIZE, &INK)))?;
    area.draw(&Text::new(row_label.to_string(), (0, 12), bold(TICK_SIZE, &INK)))?;
    for (i, row) in rows.iter().enumerate() {
        let y = top + i as i32 * ch;
        let mut lines = wrap(row, 24);
        lines.truncate(2);
        draw_lines(
            area,
            &lines,
            (left - 12, y + ch / 2 - 10 * (lines.len() as i32 - 1)),
            &text_style(TICK_SIZE, &INK).pos(Pos::new(HPos::Right, VPos::Center)),
            20,
        )?;
        for (j, cell) in cells[i].iter().enumerate() {
            let x = left + j as i32 * cw;
            let (fill, ink) = match cell {
                Cell::Shown(v) => {
                    let t = (*v as f64 / max).sqrt();
                    let c = RGBColor((240.0 - 240.0 * t) as u8, (246.0 - 132.0 * t) as u8, (252.0 - 74.0 * t) as u8);
                    (c, if t > 0.55 { WHITE } else { INK })
                }
                Cell::Suppressed | Cell::Hidden => (RGBColor(238, 238, 238), MUTED),
            };
            area.draw(&Rectangle::new([(x, y), (x + cw - 2, y + ch - 2)], fill.filled()))?;
            let text = match cell {
                Cell::Shown(v) => number(*v as f64, 0, lang),
                hidden => hidden.to_string(),
            };
            area.draw(&Text::new(text, (x + cw / 2, y + ch / 2), text_style(TICK_SIZE, &ink).pos(Pos::new(HPos::Center, VPos::Center))))?;
        }
    }
    let y = top + rows.len() as i32 * ch + 8;
    for (j, col) in cols.iter().enumerate() {
        let x = left + j as i32 * cw + cw / 2;
        let mut lines = wrap(col, (cw / 10).max(6) as usize);
        lines.truncate(3);
        draw_lines(area, &lines, (x, y), &text_style(NOTE_SIZE, &INK).pos(Pos::new(HPos::Center, VPos::Top)), 18)?;
    }
    Ok(())
}

/// Women to the left, men to the right, one row per age band; suppressed counts written as their marker.
pub fn pyramid<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, bands: &[String], women: &[Cell], men: &[Cell], lang: Lang) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = bands.len().max(1);
    // The axis runs to a multiple of 5 and ticks in steps of 5 or more: a tick at 2 or 4 beside the legend
    // "counts of 1–4 are never shown" would read like such a count.
    let largest = women.iter().chain(men).filter_map(|c| c.shown()).max().unwrap_or(1).max(5) as f64 * 1.2;
    let max = (largest / 5.0).ceil().max(2.0) * 5.0;
    let mut chart =
        ChartBuilder::on(area).margin_top(40).x_label_area_size(60).y_label_area_size(90).build_cartesian_2d(-max..max, -0.5f64..(n as f64 - 0.5))?;
    let count = |v: &f64| number(v.abs(), 0, lang);
    themed_mesh!(chart)
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(5)
        .x_label_formatter(&count)
        .x_desc(lang.pick("Antal deltagare", "Participants").to_string())
        .draw()?;
    for (i, band) in bands.iter().enumerate() {
        let y = i as f64;
        for (cell, side, color) in [(women[i], -1.0, PALETTE[3]), (men[i], 1.0, PALETTE[0])] {
            let (text, end) = match cell {
                Cell::Shown(v) => {
                    let end = side * v as f64;
                    chart.draw_series(std::iter::once(Rectangle::new([(0.0, y - 0.38), (end, y + 0.38)], color.filled())))?;
                    (number(v as f64, 0, lang), end)
                }
                hidden => (hidden.to_string(), 0.0),
            };
            let (px, py) = local(area, chart.backend_coord(&(end, y)));
            let anchor = if side < 0.0 { HPos::Right } else { HPos::Left };
            area.draw(&Text::new(text, (px + side as i32 * 8, py), text_style(TICK_SIZE, &INK).pos(Pos::new(anchor, VPos::Center))))?;
        }
        let (px, py) = local(area, chart.backend_coord(&(-max, y)));
        area.draw(&Text::new(band.clone(), (px - 10, py), text_style(TICK_SIZE, &INK).pos(Pos::new(HPos::Right, VPos::Center))))?;
    }
    legend(area, &[(lang.pick("Kvinnor", "Women").to_string(), PALETTE[3]), (lang.pick("Män", "Men").to_string(), PALETTE[0])], 160, 14)?;
    Ok(())
}

/// The x range of signed amounts: zero always inside, a margin on each side for the value labels.
fn signed_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let span = (hi - lo).max(1.0);
    (lo - span * 0.22 * f64::from(u8::from(lo < 0.0)), hi + span * 0.22)
}

/// Signed amounts as horizontal bars around zero: one row per category, one bar per series, the amount
/// written beside each bar (a missing amount says "visas ej").
pub fn amounts<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, rows: &[AmountRow], series: &[String], x_label: &str, lang: Lang) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = rows.len().max(1);
    let k = series.len().max(1);
    let (lo, hi) = signed_range(rows.iter().flat_map(|r| r.values.iter().flatten().copied()));
    let mut chart = ChartBuilder::on(area)
        .margin_top(if k > 1 { 40 } else { 0 })
        .margin_right(40)
        .x_label_area_size(60)
        .y_label_area_size(270)
        .build_cartesian_2d(lo..hi, -0.5f64..(n as f64 - 0.5))?;
    let money = |v: &f64| sek(*v, lang);
    themed_mesh!(chart).disable_y_mesh().y_labels(0).x_labels(5).x_label_formatter(&money).x_desc(x_label).draw()?;
    chart.draw_series(std::iter::once(PathElement::new(vec![(0.0, -0.5), (0.0, n as f64 - 0.5)], ShapeStyle::from(&INK).stroke_width(2))))?;
    let band = 0.76 / k as f64;
    for (i, row) in rows.iter().enumerate() {
        let centre = (n - 1 - i) as f64;
        for (j, value) in row.values.iter().enumerate().take(k) {
            let y = centre + 0.38 - band * (j as f64 + 0.5);
            let half = band * 0.42;
            let color = PALETTE[j % PALETTE.len()];
            let (text, at) = match value {
                Some(v) => {
                    chart.draw_series(std::iter::once(Rectangle::new([(0.0, y - half), (*v, y + half)], color.filled())))?;
                    (sek(*v, lang), *v)
                }
                None => (lang.pick("visas ej", "not shown").to_string(), 0.0),
            };
            let (px, py) = local(area, chart.backend_coord(&(at, y)));
            let (dx, anchor) = if at < 0.0 { (-8, HPos::Right) } else { (8, HPos::Left) };
            area.draw(&Text::new(text, (px + dx, py), text_style(NOTE_SIZE, &INK).pos(Pos::new(anchor, VPos::Center))))?;
        }
        let (lx, ly) = local(area, chart.backend_coord(&(lo, centre)));
        row_label(area, (lx, ly), &row.label, 28)?;
    }
    if k > 1 {
        let items: Vec<(String, RGBColor)> = series.iter().enumerate().map(|(j, s)| (s.clone(), PALETTE[j % PALETTE.len()])).collect();
        legend(area, &items, 280, 14)?;
    }
    Ok(())
}

/// Amounts along a numeric x axis (months), one line per series, the zero line in ink.
pub fn lines<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, series: &[LineSeries], x_label: &str, y_label: &str, lang: Lang) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let max_x = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).fold(1.0, f64::max);
    let (lo, hi) = series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let pad = (hi - lo).max(1.0) * 0.08;
    let mut chart = ChartBuilder::on(area).x_label_area_size(60).y_label_area_size(150).build_cartesian_2d(0f64..max_x, (lo - pad)..(hi + pad))?;
    let money = |v: &f64| sek(*v, lang);
    let months = |v: &f64| number(*v, 0, lang);
    themed_mesh!(chart).x_label_formatter(&months).y_label_formatter(&money).x_desc(x_label).y_desc(y_label).draw()?;
    chart.draw_series(std::iter::once(PathElement::new(vec![(0.0, 0.0), (max_x, 0.0)], ShapeStyle::from(&INK).stroke_width(2))))?;
    for (k, line) in series.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        chart
            .draw_series(std::iter::once(PathElement::new(line.points.clone(), ShapeStyle::from(&color).stroke_width(3))))?
            .label(line.label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], ShapeStyle::from(&color).stroke_width(4)));
    }
    if series.len() > 1 {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font(text_style(TICK_SIZE, &INK))
            .background_style(WHITE.mix(0.9))
            .border_style(GRID)
            .draw()?;
    }
    Ok(())
}
