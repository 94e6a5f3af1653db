package dev.normgrad.tutorials.graph;

import dev.normgrad.autograd.Function;
import dev.normgrad.autograd.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph behind a tensor: every tensor it was computed from, the op ({@link Function}) that made
 * each one, and that op's inputs. A snapshot of the structure, taken before {@code backward()}
 * (which releases the graph unless called as {@code backward(true)}); the nodes keep their tensors,
 * so gradients computed later can still be read from them.
 *
 * <p>{@link #nodes()} lists the tensors in a topological order (every tensor after the tensors it
 * was computed from), found as the engine finds it: a depth-first walk from the root through each
 * op's inputs in order, a tensor listed once all its inputs are. {@link #backwardOrder()} is that
 * list's ops reversed: the order in which {@code backward()} calls each op's backward, so an op
 * runs only when every op that used its output has added its share into the output's gradient.
 *
 * <pre>{@code
 * Tensor a = Tensor.scalar(2).requiresGrad(true).name("a");
 * Tensor loss = a.mul(a).add(a).tanh();
 * ComputationGraph g = ComputationGraph.of(loss);
 * System.out.println(g);                       // one line per tensor: op, inputs, shape
 * g.backwardOrder();                           // [tanh, add, mul]
 * }</pre>
 *
 * <p>It follows each tensor's {@code creator()} to that op's {@code inputs()}, as backward does.
 */
public final class ComputationGraph {
    /** One tensor of the graph: a leaf (no op) or the output of {@link #op()}. */
    public static final class Node {
        private final int index;
        private final Tensor tensor;
        private final Function op;
        private final List<Node> inputs = new ArrayList<>();
        private final List<Node> consumers = new ArrayList<>();
        private int depth;

        private Node(int index, Tensor tensor, Function op) {
            this.index = index;
            this.tensor = tensor;
            this.op = op;
        }

        /** Position in {@link ComputationGraph#nodes()}. */
        public int index() {
            return index;
        }

        public Tensor tensor() {
            return tensor;
        }

        /** The op that produced this tensor, or null for a leaf. */
        public Function op() {
            return op;
        }

        public boolean isLeaf() {
            return op == null;
        }

        /** The op's inputs in argument order (a tensor used twice appears twice); empty for a leaf. */
        public List<Node> inputs() {
            return Collections.unmodifiableList(inputs);
        }

        /** The nodes whose op took this tensor as an input, once per use. */
        public List<Node> consumers() {
            return Collections.unmodifiableList(consumers);
        }

        /** 0 for a leaf; otherwise one more than the deepest input: the longest path from a leaf. */
        public int depth() {
            return depth;
        }

        /** The tensor's name, else the op's name, else "leaf". */
        public String label() {
            if (tensor.name() != null) {
                return tensor.name();
            }
            return op != null ? op.name() : "leaf";
        }

        @Override
        public String toString() {
            return label() + " " + tensor.shape();
        }
    }

    private final List<Node> nodes;
    private final Node root;

    private ComputationGraph(List<Node> nodes, Node root) {
        this.nodes = Collections.unmodifiableList(nodes);
        this.root = root;
    }

    /**
     * The graph behind {@code root}. Call it before {@code backward()}: afterwards the graph is
     * released and {@code root} looks like a leaf.
     */
    public static ComputationGraph of(Tensor root) {
        if (root == null) {
            throw new IllegalArgumentException("ComputationGraph.of: the tensor is null");
        }
        // Iterative depth-first walk, inputs in argument order, a node listed after all its inputs:
        // the order the engine's backward uses (reversed).
        Map<Tensor, Node> seen = new IdentityHashMap<>();
        List<Node> order = new ArrayList<>();
        ArrayDeque<Tensor> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        Map<Tensor, Boolean> visiting = new IdentityHashMap<>();
        visiting.put(root, true);
        stack.push(root);
        next.push(0);
        while (!stack.isEmpty()) {
            Tensor t = stack.peek();
            int i = next.pop();
            List<Tensor> in = inputsOf(t.creator());
            if (i < in.size()) {
                next.push(i + 1);
                Tensor child = in.get(i);
                if (!visiting.containsKey(child)) {
                    visiting.put(child, true);
                    stack.push(child);
                    next.push(0);
                }
            } else {
                stack.pop();
                Node n = new Node(order.size(), t, t.creator());
                for (Tensor input : in) {
                    Node inputNode = seen.get(input);
                    n.inputs.add(inputNode);
                    inputNode.consumers.add(n);
                    n.depth = Math.max(n.depth, inputNode.depth + 1);
                }
                seen.put(t, n);
                order.add(n);
            }
        }
        return new ComputationGraph(order, seen.get(root));
    }

    /**
     * The inputs of an op, in argument order: empty for null (a leaf) and for an op whose graph was
     * released by {@code backward()}.
     */
    public static List<Tensor> inputsOf(Function op) {
        return op == null ? List.of() : op.inputs();
    }

    /** Every tensor of the graph, each after the tensors it was computed from; the root is last. */
    public List<Node> nodes() {
        return nodes;
    }

    public Node root() {
        return root;
    }

    /** The leaves (tensors no op made), in {@link #nodes()} order. */
    public List<Node> leaves() {
        return nodes.stream().filter(Node::isLeaf).toList();
    }

    /** The nodes made by an op, in the order {@code backward()} runs their ops: the root's op first. */
    public List<Node> backwardOrder() {
        List<Node> order = new ArrayList<>();
        for (int k = nodes.size() - 1; k >= 0; k--) {
            if (!nodes.get(k).isLeaf()) {
                order.add(nodes.get(k));
            }
        }
        return order;
    }

    /** The greatest depth: the number of ops on the longest path from a leaf to the root. */
    public int depth() {
        return root.depth;
    }

    /** One line per tensor in topological order: {@code #3 mul (2x3) <- #0 x, #1 w}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (Node n : nodes) {
            s.append('#').append(n.index).append(' ');
            if (n.isLeaf()) {
                s.append(n.label()).append(' ').append(n.tensor.shape())
                        .append(n.tensor.requiresGrad() ? " leaf, requires grad" : " leaf, constant");
            } else {
                if (n.tensor.name() != null) {
                    s.append(n.tensor.name()).append(" = ");
                }
                s.append(n.op.name()).append(' ').append(n.tensor.shape()).append(" <- ");
                for (int i = 0; i < n.inputs.size(); i++) {
                    Node in = n.inputs.get(i);
                    s.append(i == 0 ? "" : ", ").append('#').append(in.index).append(' ').append(in.label());
                }
            }
            s.append('\n');
        }
        return s.toString().stripTrailing();
    }
}
