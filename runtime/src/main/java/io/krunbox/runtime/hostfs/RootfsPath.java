package io.krunbox.runtime.hostfs;

import io.krunbox.runtime.base.BoxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A path inside a box's root, resolved as the box itself would: symlinks are followed
 * within the root (an absolute target starts again at the root) and {@code ..} stops at
 * the root, so the result never lies outside it.
 */
public final class RootfsPath {
    private static final int MAX_LINKS = 40;

    private RootfsPath() {}

    /** {@code followLast}: whether a symlink as the last component is followed too. */
    public static Path resolve(Path root, String boxPath, boolean followLast) {
        Deque<String> todo = new ArrayDeque<>();
        push(todo, boxPath);
        Path current = root;
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                current = current.equals(root) ? root : current.getParent();
                continue;
            }
            Path next = current.resolve(c);
            if (Files.isSymbolicLink(next) && (!todo.isEmpty() || followLast)) {
                if (++links > MAX_LINKS) {
                    throw new BoxException(boxPath + ": too many levels of symbolic links in the box");
                }
                String target;
                try {
                    target = Files.readSymbolicLink(next).toString();
                } catch (IOException e) {
                    throw new BoxException(boxPath + ": " + e.getMessage(), e);
                }
                if (target.startsWith("/")) {
                    current = root;
                }
                push(todo, target);
                continue;
            }
            current = next;
        }
        if (!current.normalize().startsWith(root)) {
            throw new BoxException(boxPath + " lies outside the box");
        }
        return current;
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.addFirst(parts[i]);
        }
    }
}
