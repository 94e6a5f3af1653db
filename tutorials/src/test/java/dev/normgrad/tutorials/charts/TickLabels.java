package dev.normgrad.tutorials.charts;

import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.Rectangle2D;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Axis;
import org.knowm.xchart.internal.chartpart.AxisPair;
import org.knowm.xchart.internal.chartpart.AxisTickCalculator;

/**
 * The tick labels XChart draws on a chart's axes, with the extent each one covers along its axis, as
 * XChart's {@code AxisTickLabels} lays them out (x labels centred on their tick, y labels centred on
 * theirs): what a reader sees, measured, so a test can say whether two overprint.
 */
final class TickLabels {

    /** One drawn label: its text and the interval [from, to] it covers along the axis, in pixels. */
    record Label(String text, double from, double to) {
    }

    private TickLabels() {
    }

    /** The labels drawn on the x axis, left to right. Paints the chart first (ticks are laid out while painting). */
    static List<Label> x(XYChart chart) {
        return labels(chart, true);
    }

    /** The labels drawn on the y axis, bottom to top. */
    static List<Label> y(XYChart chart) {
        return labels(chart, false);
    }

    /**
     * The pairs of neighbouring labels that are less than {@code yGap} pixels apart on the y axis, or
     * {@code xGap} on the x axis (negative: they overlap), as readable lines; empty when every label
     * stands clear.
     */
    static List<String> crowded(XYChart chart, double yGap, double xGap) {
        List<String> out = new ArrayList<>();
        for (boolean x : new boolean[] {true, false}) {
            double minGap = x ? xGap : yGap;
            List<Label> labels = labels(chart, x);
            for (int i = 1; i < labels.size(); i++) {
                Label a = labels.get(i - 1);
                Label b = labels.get(i);
                double gap = b.from() - a.to();
                if (gap < minGap) {
                    out.add(String.format("%s axis of '%s': '%s' and '%s' are %.1f px apart", x ? "x" : "y", chart.getTitle(),
                            a.text(), b.text(), gap));
                }
            }
        }
        return out;
    }

    private static List<Label> labels(XYChart chart, boolean x) {
        BitmapEncoder.getBufferedImage(chart);
        Axis<?, ?> axis = axis(chart, x);
        AxisTickCalculator ticks = axis.getAxisTickCalculator();
        double extent = x ? axis.getBounds().getWidth() : axis.getBounds().getHeight();
        Font font = chart.getStyler().getAxisTickLabelsFont();
        FontRenderContext frc = new FontRenderContext(null, true, true);
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < ticks.getTickLabels().size(); i++) {
            String text = ticks.getTickLabels().get(i);
            double at = ticks.getTickLocations().get(i);
            if (text == null || text.isBlank() || !(at > 0 && at < extent)) {
                continue;
            }
            Rectangle2D box = new TextLayout(text, font, frc).getOutline(null).getBounds2D();
            double half = (x ? box.getWidth() : box.getHeight()) / 2;
            labels.add(new Label(text, at - half, at + half));
        }
        labels.sort((a, b) -> Double.compare(a.from(), b.from()));
        return labels;
    }

    /** XChart keeps the axes package-private: reach them by reflection (tests only). */
    private static Axis<?, ?> axis(XYChart chart, boolean x) {
        try {
            Method pairOf = org.knowm.xchart.internal.chartpart.Chart.class.getDeclaredMethod("getAxisPair");
            pairOf.setAccessible(true);
            AxisPair<?, ?> pair = (AxisPair<?, ?>) pairOf.invoke(chart);
            if (x) {
                return pair.getXAxis();
            }
            Method yOf = AxisPair.class.getDeclaredMethod("getYAxis");
            yOf.setAccessible(true);
            return (Axis<?, ?>) yOf.invoke(pair);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("TickLabels: XChart's axes are not where XChart 3.8 keeps them", e);
        }
    }
}
