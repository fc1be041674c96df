package dev.parma.bench.overhead;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A hand-written SVG of grouped bar panels: one group of bars per workload, one bar per series, each with its 95%
 * confidence interval as an error bar. Axes always include zero, so a bar's length is its value.
 */
public final class SvgPlot {

    /** One series: a name for the legend, a fill colour, and one value per category (NaN = missing). */
    public record Series(String name, String color, List<Summary> values) {
    }

    /** One panel: a title, a y-axis label, an optional reference line (e.g. ratio 1.0), and its series. */
    public record Panel(String title, String yLabel, OptionalDouble reference, List<Series> series) {
    }

    static final int WIDTH = 900;
    static final int PANEL_HEIGHT = 300;
    static final int LEFT = 80;
    static final int RIGHT = 20;
    static final int TOP = 60;
    static final int GAP = 90;

    private SvgPlot() {
    }

    public static String render(String title, String subtitle, List<String> categories, List<Panel> panels) {
        var svg = new StringBuilder();
        int height = TOP + panels.size() * (PANEL_HEIGHT + GAP);
        svg.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        svg.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(f("<text x=\"%d\" y=\"22\" font-size=\"16\" font-weight=\"bold\">%s</text>%n", LEFT, esc(title)));
        svg.append(f("<text x=\"%d\" y=\"40\" fill=\"#555\">%s</text>%n", LEFT, esc(subtitle)));
        int y = TOP;
        for (var p : panels) {
            panel(svg, p, categories, y);
            y += PANEL_HEIGHT + GAP;
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, Panel p, List<String> categories, int top) {
        int plotTop = top + 30;
        int plotBottom = top + PANEL_HEIGHT;
        int plotRight = WIDTH - RIGHT;
        double[] range = range(p);
        double[] ticks = ticks(range[0], range[1]);
        double lo = Math.min(range[0], ticks[0]);
        double hi = Math.max(range[1], ticks[ticks.length - 1]);
        java.util.function.DoubleUnaryOperator yOf = v -> plotBottom - (v - lo) / (hi - lo) * (plotBottom - plotTop);

        svg.append(f("<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", LEFT, top + 12,
                esc(p.title())));
        int decimals = ticks.length < 2 ? 0 : decimals(ticks[1] - ticks[0]);
        for (double t : ticks) {
            double ty = yOf.applyAsDouble(t);
            svg.append(
                    f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>%n", LEFT, ty, plotRight,
                            ty));
            svg.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#333\">%s</text>%n", LEFT - 6, ty + 4,
                    f("%." + decimals + "f", t)));
        }
        svg.append(
                f("<text transform=\"translate(%d,%d) rotate(-90)\" text-anchor=\"middle\" fill=\"#333\">%s</text>%n",
                        18, (plotTop + plotBottom) / 2, esc(p.yLabel())));
        double zero = yOf.applyAsDouble(0);
        svg.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#333\"/>%n", LEFT, zero, plotRight,
                zero));
        p.reference().ifPresent(r -> svg.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#c00\""
                + " stroke-dasharray=\"5,4\"/>%n", LEFT, yOf.applyAsDouble(r), plotRight, yOf.applyAsDouble(r))));

        double groupWidth = (double) (plotRight - LEFT) / categories.size();
        double barWidth = groupWidth * 0.7 / p.series().size();
        for (int c = 0; c < categories.size(); c++) {
            double gx = LEFT + c * groupWidth;
            svg.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", gx + groupWidth / 2,
                    plotBottom + 18, esc(categories.get(c))));
            for (int s = 0; s < p.series().size(); s++) {
                var series = p.series().get(s);
                Summary v = series.values().get(c);
                if (Double.isNaN(v.mean())) {
                    continue;
                }
                double x = gx + groupWidth * 0.15 + s * barWidth;
                double vy = yOf.applyAsDouble(v.mean());
                svg.append(f("<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                        + "<title>%s %s: %s (95%% CI %s)</title></rect>%n", x, Math.min(vy, zero), barWidth * 0.9,
                        Math.abs(zero - vy), series.color(), esc(categories.get(c)), esc(series.name()),
                        tick(v.mean()), Double.isNaN(v.ci95()) ? "?" : tick(v.low()) + "–" + tick(v.high())));
                // the value above the bar (below it if negative), clear of the error bar
                double labelY = v.mean() >= 0
                        ? yOf.applyAsDouble(Double.isNaN(v.ci95()) ? v.mean() : v.high()) - 4
                        : yOf.applyAsDouble(Double.isNaN(v.ci95()) ? v.mean() : v.low()) + 12;
                svg.append(f("<text class=\"value\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\""
                        + " fill=\"#333\">%s</text>%n", x + barWidth * 0.45, labelY, tick(v.mean())));
                if (!Double.isNaN(v.ci95())) {
                    double cx = x + barWidth * 0.45;
                    double y1 = yOf.applyAsDouble(v.low());
                    double y2 = yOf.applyAsDouble(v.high());
                    svg.append(f("<path class=\"err\" d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fH%.1f\""
                            + " stroke=\"#000\" fill=\"none\"/>%n", cx, y1, y2, cx - 4, y1, cx + 4, cx - 4, y2,
                            cx + 4));
                }
            }
        }
        double lx = LEFT;
        for (var series : p.series()) {
            svg.append(f("<rect x=\"%.1f\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n", lx, plotBottom + 32,
                    series.color()));
            svg.append(f("<text x=\"%.1f\" y=\"%d\">%s</text>%n", lx + 16, plotBottom + 43, esc(series.name())));
            lx += 22 + 7 * series.name().length();
        }
    }

    /** [min, max] of every bar and error bar, always including 0 and the reference line. */
    static double[] range(Panel p) {
        double lo = 0;
        double hi = 0;
        for (var s : p.series()) {
            for (var v : s.values()) {
                for (double x : new double[]{v.mean(), v.low(), v.high()}) {
                    if (!Double.isNaN(x)) {
                        lo = Math.min(lo, x);
                        hi = Math.max(hi, x);
                    }
                }
            }
        }
        if (p.reference().isPresent()) {
            lo = Math.min(lo, p.reference().getAsDouble());
            hi = Math.max(hi, p.reference().getAsDouble());
        }
        return hi == lo ? new double[]{lo, lo + 1} : new double[]{lo, hi};
    }

    /** Round ticks (1, 2 or 5 × 10^k apart) covering [lo, hi], about five of them. */
    static double[] ticks(double lo, double hi) {
        double raw = (hi - lo) / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag <= 1 ? mag : raw / mag <= 2 ? 2 * mag : raw / mag <= 5 ? 5 * mag : 10 * mag;
        List<Double> out = new ArrayList<>();
        for (double t = Math.floor(lo / step) * step; t <= hi + step * 0.999; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Decimals that show a tick step exactly (0.25 → 2, 0.5 → 1, 20 → 0). */
    static int decimals(double step) {
        int d = 0;
        while (d < 6 && Math.abs(step * Math.pow(10, d) - Math.rint(step * Math.pow(10, d))) > 1e-6) {
            d++;
        }
        return d;
    }

    /** A value label: three significant figures, at most. */
    static String tick(double v) {
        double a = Math.abs(v);
        return a >= 100 ? f("%.0f", v) : a >= 10 ? f("%.1f", v) : a >= 1 ? f("%.2f", v) : f("%.3f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
