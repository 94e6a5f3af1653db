package dev.normgrad.tutorials.graph;

import dev.normgrad.autograd.Tensor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * Draws a {@link ComputationGraph} into an image: one box per tensor, arrows from each input to the
 * op that used it, laid out left to right in columns by depth (the leaves on the left, the root on
 * the right). An arrow that skips columns runs in a lane above the boxes, so that it is not hidden
 * behind the boxes it passes.
 *
 * <ul>
 *   <li>an op's output: a blue box with the op's name (and the tensor's name, if it has one) and its shape;</li>
 *   <li>a leaf that requires grad: a green box; a constant leaf: a grey one;</li>
 *   <li>an input used twice by the same op: one arrow marked "×2";</li>
 *   <li>with gradients on, each box also shows the tensor's accumulated gradient (its values for up to
 *       three entries, otherwise its Frobenius norm), or "no grad".</li>
 * </ul>
 *
 * <pre>{@code
 * ComputationGraph g = ComputationGraph.of(loss);   // before backward(): it releases the graph
 * loss.backward();
 * BufferedImage img = GraphPicture.draw(g, true);  // the last expression of a notebook cell shows it
 * }</pre>
 *
 * The picture is a function of the graph: the same graph gives the same pixels.
 */
public final class GraphPicture {
    /** The largest graph drawn; bigger ones are unreadable as a picture (print the graph instead). */
    public static final int MAX_NODES = 60;

    static final Color OP_FILL = new Color(0xD6E4F5);
    static final Color LEAF_FILL = new Color(0xD5EFD5);
    static final Color CONSTANT_FILL = new Color(0xE6E6E6);
    private static final Color BORDER = new Color(0x3A3A3A);
    private static final Color EDGE = new Color(0x555555);
    private static final Color GRAD = new Color(0xB03A2E);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final int PAD = 8;
    private static final int GAP_X = 56;
    private static final int GAP_Y = 22;
    private static final int MARGIN = 20;
    private static final int LANE = 12;

    private GraphPicture() {
    }

    /** The graph behind {@code root}, without gradients. */
    public static BufferedImage draw(Tensor root) {
        return draw(ComputationGraph.of(root), false);
    }

    /**
     * The graph as a picture.
     *
     * @param showGradients also write each tensor's accumulated gradient in its box
     */
    public static BufferedImage draw(ComputationGraph graph, boolean showGradients) {
        List<ComputationGraph.Node> nodes = graph.nodes();
        if (nodes.size() > MAX_NODES) {
            throw new IllegalArgumentException("GraphPicture: the graph has " + nodes.size() + " tensors, more than "
                    + MAX_NODES + " can be read as a picture; draw a smaller expression, or print the graph");
        }
        int[] column = columns(nodes);
        List<List<ComputationGraph.Node>> byColumn = arrange(nodes, column);

        // Box sizes from the text they hold.
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D sg = scratch.createGraphics();
        FontMetrics titleMetrics = sg.getFontMetrics(TITLE);
        FontMetrics textMetrics = sg.getFontMetrics(TEXT);
        sg.dispose();
        List<String[]> lines = new ArrayList<>();
        int boxW = 0;
        for (ComputationGraph.Node n : nodes) {
            String[] l = lines(n, showGradients);
            lines.add(l);
            boxW = Math.max(boxW, titleMetrics.stringWidth(l[0]));
            for (int i = 1; i < l.length; i++) {
                boxW = Math.max(boxW, textMetrics.stringWidth(l[i]));
            }
        }
        boxW += 2 * PAD;
        int lineH = textMetrics.getHeight();
        int boxH = (showGradients ? 3 : 2) * lineH + PAD;
        int rows = byColumn.stream().mapToInt(List::size).max().orElse(1);
        // An arrow skipping columns would pass behind the boxes between: it runs in a lane of its own
        // above them instead.
        int lanes = 0;
        for (ComputationGraph.Node n : nodes) {
            for (ComputationGraph.Node in : distinct(n.inputs())) {
                if (column[n.index()] - column[in.index()] > 1) {
                    lanes++;
                }
            }
        }
        int top0 = MARGIN + lanes * LANE;
        int width = 2 * MARGIN + byColumn.size() * boxW + (byColumn.size() - 1) * GAP_X;
        int height = top0 + MARGIN + rows * boxH + (rows - 1) * GAP_Y;

        // Positions: each column centred vertically.
        int[] x = new int[nodes.size()];
        int[] y = new int[nodes.size()];
        for (int c = 0; c < byColumn.size(); c++) {
            List<ComputationGraph.Node> col = byColumn.get(c);
            int top = top0 + (height - top0 - MARGIN - (col.size() * boxH + (col.size() - 1) * GAP_Y)) / 2;
            for (int r = 0; r < col.size(); r++) {
                x[col.get(r).index()] = MARGIN + c * (boxW + GAP_X);
                y[col.get(r).index()] = top + r * (boxH + GAP_Y);
            }
        }

        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        // Edges first, so boxes sit on top of them.
        g.setStroke(new BasicStroke(1.4f));
        g.setFont(TEXT);
        int laneCounter = 0;
        for (ComputationGraph.Node n : nodes) {
            Map<ComputationGraph.Node, Integer> uses = new LinkedHashMap<>();
            for (ComputationGraph.Node in : n.inputs()) {
                uses.merge(in, 1, Integer::sum);
            }
            for (Map.Entry<ComputationGraph.Node, Integer> e : uses.entrySet()) {
                ComputationGraph.Node in = e.getKey();
                double x0 = x[in.index()] + boxW;
                double y0 = y[in.index()] + boxH / 2.0;
                double x1 = x[n.index()];
                double y1 = y[n.index()] + boxH / 2.0;
                if (column[n.index()] - column[in.index()] > 1) {
                    double lane = MARGIN + LANE * laneCounter++;
                    laneArrow(g, x0, y0, x1, y1, lane);
                } else {
                    arrow(g, x0, y0, x1, y1);
                }
                if (e.getValue() > 1) {
                    g.setColor(EDGE);
                    g.drawString("\u00d7" + e.getValue(), (float) ((x0 + x1) / 2 - 6), (float) ((y0 + y1) / 2 - 5));
                }
            }
        }

        for (ComputationGraph.Node n : nodes) {
            int bx = x[n.index()];
            int by = y[n.index()];
            RoundRectangle2D box = new RoundRectangle2D.Double(bx, by, boxW, boxH, n.isLeaf() ? 22 : 8, n.isLeaf() ? 22 : 8);
            g.setColor(fill(n));
            g.fill(box);
            g.setColor(BORDER);
            g.setStroke(new BasicStroke(n == graph.root() ? 2.4f : 1.2f));
            g.draw(box);
            String[] l = lines.get(n.index());
            int baseline = by + PAD / 2 + textMetrics.getAscent();
            for (int i = 0; i < l.length; i++) {
                g.setFont(i == 0 ? TITLE : TEXT);
                g.setColor(i == 2 ? GRAD : Color.BLACK);
                FontMetrics fm = g.getFontMetrics();
                g.drawString(l[i], bx + (boxW - fm.stringWidth(l[i])) / 2f, baseline + i * lineH);
            }
        }
        g.dispose();
        return img;
    }

    /** The fill colour of a node's box: op output, leaf requiring grad, or constant leaf. */
    static Color fill(ComputationGraph.Node n) {
        if (!n.isLeaf()) {
            return OP_FILL;
        }
        return n.tensor().requiresGrad() ? LEAF_FILL : CONSTANT_FILL;
    }

    /** The text of a box: title, shape line, and (optionally) gradient line. */
    static String[] lines(ComputationGraph.Node n, boolean showGradients) {
        Tensor t = n.tensor();
        String title = n.isLeaf() ? n.label()
                : t.name() != null ? t.name() + " = " + n.op().name() : n.op().name();
        String second = t.shape() + (n.isLeaf() ? (t.requiresGrad() ? " leaf" : " constant") : "");
        if (!showGradients) {
            return new String[] {title, second};
        }
        return new String[] {title, second, gradient(t.gradData())};
    }

    /** "grad 0.42", "grad [0.1, -2]" (up to three entries) or "|grad| 3.1" (Frobenius norm). */
    static String gradient(DMatrixRMaj g) {
        if (g == null) {
            return "no grad";
        }
        int n = g.getNumElements();
        if (n == 1) {
            return "grad " + num(g.data[0]);
        }
        if (n <= 3) {
            StringBuilder s = new StringBuilder("grad [");
            for (int i = 0; i < n; i++) {
                s.append(i == 0 ? "" : ", ").append(num(g.data[i]));
            }
            return s.append(']').toString();
        }
        double sq = 0;
        for (int i = 0; i < n; i++) {
            sq += g.data[i] * g.data[i];
        }
        return "\u2016grad\u2016 " + num(Math.sqrt(sq));
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /**
     * Column of each node: an op one right of its deepest input; a leaf just left of its first
     * consumer (so a constant used late does not sit far away at the left edge).
     */
    static int[] columns(List<ComputationGraph.Node> nodes) {
        int[] column = new int[nodes.size()];
        for (ComputationGraph.Node n : nodes) {
            if (!n.isLeaf()) {
                int c = 1;
                for (ComputationGraph.Node in : n.inputs()) {
                    c = Math.max(c, in.isLeaf() ? 1 : column[in.index()] + 1);
                }
                column[n.index()] = c;
            }
        }
        for (ComputationGraph.Node n : nodes) {
            if (n.isLeaf()) {
                int c = Integer.MAX_VALUE;
                for (ComputationGraph.Node user : n.consumers()) {
                    c = Math.min(c, column[user.index()] - 1);
                }
                column[n.index()] = c == Integer.MAX_VALUE ? 0 : c;
            }
        }
        return column;
    }

    /**
     * Nodes per column, top to bottom: the barycentre heuristic, sweeping left to right (order by
     * the mean row of the inputs), right to left (by the mean row of the consumers), and left to
     * right again, so that arrows cross less.
     */
    private static List<List<ComputationGraph.Node>> arrange(List<ComputationGraph.Node> nodes, int[] column) {
        int columns = 0;
        for (int c : column) {
            columns = Math.max(columns, c + 1);
        }
        List<List<ComputationGraph.Node>> byColumn = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            byColumn.add(new ArrayList<>());
        }
        for (ComputationGraph.Node n : nodes) {
            byColumn.get(column[n.index()]).add(n);
        }
        double[] row = new double[nodes.size()];
        for (List<ComputationGraph.Node> col : byColumn) {
            for (int r = 0; r < col.size(); r++) {
                row[col.get(r).index()] = r;
            }
        }
        for (int sweep = 0; sweep < 3; sweep++) {
            boolean forward = sweep != 1;
            for (int k = 0; k < columns; k++) {
                List<ComputationGraph.Node> col = byColumn.get(forward ? k : columns - 1 - k);
                double[] key = new double[nodes.size()];
                for (ComputationGraph.Node n : col) {
                    double sum = 0;
                    int count = 0;
                    for (ComputationGraph.Node other : forward ? n.inputs() : n.consumers()) {
                        sum += row[other.index()];
                        count++;
                    }
                    key[n.index()] = count == 0 ? row[n.index()] : sum / count;
                }
                col.sort(Comparator.<ComputationGraph.Node>comparingDouble(n -> key[n.index()])
                        .thenComparingInt(ComputationGraph.Node::index));
                for (int r = 0; r < col.size(); r++) {
                    row[col.get(r).index()] = r;
                }
            }
        }
        return byColumn;
    }

    private static List<ComputationGraph.Node> distinct(List<ComputationGraph.Node> nodes) {
        List<ComputationGraph.Node> out = new ArrayList<>();
        for (ComputationGraph.Node n : nodes) {
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** An arrow that rises to a lane above the boxes, runs along it, and comes down into its target. */
    private static void laneArrow(Graphics2D g, double x0, double y0, double x1, double y1, double lane) {
        g.setColor(EDGE);
        double turn = GAP_X / 2.0;
        Path2D.Double line = new Path2D.Double();
        line.moveTo(x0, y0);
        line.curveTo(x0 + turn, y0, x0, lane, x0 + turn, lane);
        line.lineTo(x1 - turn, lane);
        line.curveTo(x1, lane, x1 - turn, y1, x1 - 7, y1);
        g.draw(line);
        arrowHead(g, x1, y1);
    }

    private static void arrow(Graphics2D g, double x0, double y0, double x1, double y1) {
        g.setColor(EDGE);
        Path2D.Double line = new Path2D.Double();
        double bend = (x1 - x0) / 2;
        line.moveTo(x0, y0);
        line.curveTo(x0 + bend, y0, x1 - bend, y1, x1 - 7, y1);
        g.draw(line);
        arrowHead(g, x1, y1);
    }

    private static void arrowHead(Graphics2D g, double x1, double y1) {
        Path2D.Double head = new Path2D.Double();
        head.moveTo(x1, y1);
        head.lineTo(x1 - 9, y1 - 4.5);
        head.lineTo(x1 - 9, y1 + 4.5);
        head.closePath();
        g.fill(head);
    }
}
