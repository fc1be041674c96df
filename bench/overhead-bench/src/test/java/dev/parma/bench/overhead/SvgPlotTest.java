package dev.parma.bench.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class SvgPlotTest {

    static Summary s(double... xs) {
        List<Double> l = new ArrayList<>();
        for (double x : xs) {
            l.add(x);
        }
        return Summary.of(l);
    }

    static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> withClass(Document d, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        var nodes = d.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            var e = (Element) nodes.item(i);
            if (cls.equals(e.getAttribute("class"))) {
                out.add(e);
            }
        }
        return out;
    }

    static double attr(Element e, String name) {
        return Double.parseDouble(e.getAttribute(name));
    }

    @Test
    void oneBarPerWorkloadAndSeriesWithLengthsProportionalToValues() throws Exception {
        var panel = new SvgPlot.Panel("ratio <C/S>", "ratio", OptionalDouble.of(1.0), List.of(
                new SvgPlot.Series("CPU", "#00f", List.of(s(1, 1), s(2, 2), s(0.5, 0.5))),
                new SvgPlot.Series("wall & more", "#f00", List.of(s(1, 1), s(1, 1), s(1, 1)))));
        var d = parse(SvgPlot.render("t", "sub", List.of("gzip", "sort", "kv"), List.of(panel)));
        var bars = withClass(d, "rect", "bar");
        assertThat(bars).hasSize(6);
        // no spread in these samples: bars are drawn from zero, so value 2 is twice as tall as value 1
        double h1 = attr(bars.get(0), "height");
        assertThat(attr(bars.get(1), "height")).isCloseTo(h1, within(0.2));
        assertThat(attr(bars.get(2), "height")).isCloseTo(2 * h1, within(0.2));
        assertThat(attr(bars.get(4), "height")).isCloseTo(0.5 * h1, within(0.2));
        // the escaped names survive as text
        assertThat(d.getDocumentElement().getTextContent()).contains("ratio <C/S>").contains("wall & more");
    }

    @Test
    void errorBarsSpanTheConfidenceInterval() throws Exception {
        var panel = new SvgPlot.Panel("p", "ms", OptionalDouble.empty(), List.of(
                new SvgPlot.Series("a", "#000", List.of(s(10, 12, 14), s(10)))));
        var d = parse(SvgPlot.render("t", "sub", List.of("x", "y"), List.of(panel)));
        var errs = withClass(d, "path", "err");
        assertThat(errs).hasSize(1); // "y" is one run: no interval, no error bar
        var bar = withClass(d, "rect", "bar").get(0);
        // px per unit from the bar (value 12, drawn from zero): the whisker spans 2 × ci95 of that scale
        double perUnit = attr(bar, "height") / 12;
        String[] path = errs.get(0).getAttribute("d").split("[MVH ]+");
        double y1 = Double.parseDouble(path[2]);
        double y2 = Double.parseDouble(path[3]);
        assertThat(y1 - y2).isCloseTo(2 * s(10, 12, 14).ci95() * perUnit, within(0.3));
    }

    @Test
    void negativeValuesHangBelowTheZeroLine() throws Exception {
        var panel = new SvgPlot.Panel("p", "ms", OptionalDouble.empty(), List.of(
                new SvgPlot.Series("a", "#000", List.of(s(-5, -5), s(5, 5)))));
        var bars = withClass(parse(SvgPlot.render("t", "s", List.of("x", "y"), List.of(panel))), "rect", "bar");
        // both bars touch the zero line: one starts there, the other ends there
        assertThat(attr(bars.get(0), "y")).isCloseTo(attr(bars.get(1), "y") + attr(bars.get(1), "height"),
                within(0.2));
    }

    @Test
    void ticksAreRoundAndCoverTheRange() {
        assertThat(SvgPlot.ticks(0, 1.37)).containsExactly(0, 0.5, 1.0, 1.5);
        assertThat(SvgPlot.ticks(-12, 30)).contains(-20.0, 0.0, 30.0);
    }
}
