package dev.normgrad.tutorials.coursework.grader;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a compiled class refers to, read from its constant pool without loading it (JVMS §4.4): its
 * name, its superclass, every type named anywhere in it (class entries, field and method descriptors,
 * signatures), the methods and fields it calls or reads, and its string constants.
 *
 * @param name        binary name with dots ("LayerNormOp", "a.b.C$1")
 * @param superName   binary name of the superclass (null for java.lang.Object)
 * @param types       every type named, as binary names
 * @param members     every method or field referred to, as "owner.name" with the owner's binary name
 * @param strings     the string constants
 */
record ClassFile(String name, String superName, boolean isAbstract, boolean isInterface, Set<String> types, Set<String> members,
        List<String> strings) {

    private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([\\w/$]+)[;<]");

    /** Top-level: not nested in another class of the submission. */
    boolean topLevel() {
        return !name.substring(name.lastIndexOf('.') + 1).contains("$");
    }

    static ClassFile read(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        Object[] pool = new Object[count];
        int[][] refs = new int[count][];
        int[] tags = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case 1 -> pool[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 7, 8, 16, 19, 20 -> refs[i] = new int[] {in.readUnsignedShort()};
                case 9, 10, 11, 12, 17, 18 -> refs[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 15 -> refs[i] = new int[] {in.readUnsignedByte(), in.readUnsignedShort()};
                default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
            }
        }
        int access = in.readUnsignedShort();
        String name = className(pool, refs, in.readUnsignedShort());
        int superIndex = in.readUnsignedShort();
        String superName = superIndex == 0 ? null : className(pool, refs, superIndex);

        Set<String> types = new LinkedHashSet<>();
        Set<String> members = new LinkedHashSet<>();
        List<String> strings = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            switch (tags[i]) {
                case 1 -> {
                    // descriptors and signatures name types as Lpkg/Name; — so does any other use of a type
                    Matcher m = TYPE_IN_DESCRIPTOR.matcher((String) pool[i]);
                    while (m.find()) {
                        types.add(m.group(1).replace('/', '.'));
                    }
                }
                case 7 -> {
                    String internal = (String) pool[refs[i][0]];
                    types.add(internal.startsWith("[") ? elementType(internal) : internal.replace('/', '.'));
                }
                case 8 -> strings.add((String) pool[refs[i][0]]);
                case 9, 10, 11 -> {
                    String owner = className(pool, refs, refs[i][0]);
                    String member = (String) pool[refs[refs[i][1]][0]];
                    members.add(owner + "." + member);
                }
                default -> {
                }
            }
        }
        types.remove(name);
        types.remove(null);
        return new ClassFile(name, superName, (access & 0x0400) != 0, (access & 0x0200) != 0, types, members, strings);
    }

    private static String className(Object[] pool, int[][] refs, int classIndex) {
        String internal = (String) pool[refs[classIndex][0]];
        return internal.startsWith("[") ? elementType(internal) : internal.replace('/', '.');
    }

    private static String elementType(String arrayDescriptor) {
        Matcher m = TYPE_IN_DESCRIPTOR.matcher(arrayDescriptor);
        return m.find() ? m.group(1).replace('/', '.') : null;
    }
}
