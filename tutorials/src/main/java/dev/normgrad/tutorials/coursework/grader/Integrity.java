package dev.normgrad.tutorials.coursework.grader;

import dev.normgrad.tutorials.coursework.sandbox.SandboxMain;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Finds, in a submission's compiled classes, what the grader refuses before running anything: handing
 * the work to NormGrad itself, and reflection or class loading (which could reach it by a name the
 * constant pool does not show).
 *
 * <p>Of the library, an allowlist: a submission extends {@code Function} and may throw
 * {@code ShapeException} ({@link SandboxMain#libraryTypes()}, the same list the child JVM's class
 * loader enforces); any other NormGrad type it names — a layer, an op, {@code Tensor} and its
 * autograd, the gradient checker, the coursework and its reference solutions — is delegation. An
 * allowlist, because every other part of NormGrad computes something a backward could hand its work
 * to, and a new one must not slip through a list of forbidden names. Of the JDK, only reflection
 * and class loading are refused here; files, {@code System.exit}, threads, processes and the network
 * are left to the child JVM's security manager, at run time.
 */
final class Integrity {
    private static final Set<String> REFLECTIVE_CLASS_MEMBERS = Set.of("forName", "getMethod", "getMethods", "getDeclaredMethod",
            "getDeclaredMethods", "getField", "getFields", "getDeclaredField", "getDeclaredFields", "getConstructor", "getConstructors",
            "getDeclaredConstructor", "getDeclaredConstructors", "newInstance", "getClassLoader", "getResource", "getResourceAsStream");

    private Integrity() {
    }

    /** One reason to score the submission 0, in a sentence naming the class and what it refers to. */
    record Finding(String className, String reason) {
        @Override
        public String toString() {
            return className + " " + reason;
        }
    }

    static List<Finding> check(Collection<ClassFile> classes) {
        Set<String> own = new java.util.HashSet<>();
        for (ClassFile c : classes) {
            own.add(c.name());
        }
        List<Finding> findings = new ArrayList<>();
        for (ClassFile c : classes) {
            String simple = c.name().substring(c.name().lastIndexOf('.') + 1);
            if (c.name().startsWith("dev.normgrad.")) {
                findings.add(new Finding(simple, "is declared in NormGrad's own package " + c.name().substring(0, c.name().lastIndexOf('.'))
                        + ": a submission's classes live in a package of their own"));
                continue;
            }
            for (String t : c.types()) {
                if (t.startsWith("dev.normgrad.") && !own.contains(t) && !SandboxMain.libraryTypes().contains(t)) {
                    findings.add(new Finding(simple, "uses " + t + ", " + whatItIs(t) + ": a submission computes its gradient itself "
                            + "(it may use Function, EJML and the JDK)"));
                }
            }
            for (String m : c.members()) {
                String owner = m.substring(0, m.lastIndexOf('.'));
                String member = m.substring(m.lastIndexOf('.') + 1);
                boolean reflective = owner.startsWith("java.lang.reflect.") || owner.endsWith("ClassLoader")
                        || owner.equals("java.util.ServiceLoader") || owner.equals("java.lang.invoke.MethodHandles$Lookup")
                        || owner.equals("java.lang.invoke.MethodHandles") && !member.equals("lookup")
                        || owner.equals("java.lang.Class") && REFLECTIVE_CLASS_MEMBERS.contains(member);
                if (reflective) {
                    findings.add(new Finding(simple, "uses reflection or class loading (" + owner + "." + member
                            + "): a submission may not, the grader cannot see what it would reach"));
                }
            }
            for (String s : c.strings()) {
                if (s.contains("dev.normgrad") || s.contains("dev/normgrad")) {
                    findings.add(new Finding(simple, "holds the string \"" + (s.length() > 80 ? s.substring(0, 80) + "..." : s)
                            + "\", a name from NormGrad itself: a submission may not load NormGrad's classes by name"));
                }
            }
        }
        return findings;
    }

    /** What part of NormGrad a type belongs to, in words. */
    static String whatItIs(String type) {
        String pkg = type.substring(0, type.lastIndexOf('.'));
        return switch (pkg) {
            case "dev.normgrad.norm" -> "NormGrad's own normalization layers";
            case "dev.normgrad.ops" -> "one of NormGrad's own ops";
            case "dev.normgrad.autograd" -> "NormGrad's autograd (it would derive the gradient for you)";
            case "dev.normgrad.gradcheck" -> "NormGrad's gradient checker";
            case "dev.normgrad.nn", "dev.normgrad.recurrent" -> "one of NormGrad's own layers";
            case "dev.normgrad.loss" -> "NormGrad's own losses";
            case "dev.normgrad.gemm" -> "NormGrad's matrix-product kernel";
            default -> pkg.startsWith("dev.normgrad.tutorials") ? "part of NormGrad's coursework and its reference solutions"
                    : "part of NormGrad itself";
        };
    }
}
