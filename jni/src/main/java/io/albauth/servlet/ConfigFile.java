package io.albauth.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code config-file}, watched cheaply: request threads ask {@link #due()}, which is true for
 * one thread at most once per interval; that thread compares the file's modification time and
 * size, and reads it only when they changed.
 */
final class ConfigFile implements ConfigSource {
    private final Path path;
    private final long intervalNanos; // < 0: never; 0: every request
    private final AtomicLong nextCheck;
    private FileTime lastModified;
    private long lastSize = -1;
    private String lastText;

    ConfigFile(Path path, long intervalSecs) {
        this.path = path;
        this.intervalNanos = intervalSecs < 0 ? -1 : TimeUnit.SECONDS.toNanos(intervalSecs);
        this.nextCheck = new AtomicLong(System.nanoTime() + Math.max(0, this.intervalNanos));
    }

    Path path() {
        return path;
    }

    /** Whether this thread should check the file now. */
    @Override
    public boolean due() {
        if (intervalNanos < 0) {
            return false;
        }
        if (intervalNanos == 0) {
            return true;
        }
        long next = nextCheck.get();
        long now = System.nanoTime();
        return now - next >= 0 && nextCheck.compareAndSet(next, now + intervalNanos);
    }

    /** The file's text. */
    @Override
    public synchronized String read() throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        lastModified = a.lastModifiedTime();
        lastSize = a.size();
        lastText = Files.readString(path, StandardCharsets.UTF_8);
        return lastText;
    }

    /** The file's new text if it changed since the last read, else null. */
    @Override
    public synchronized String changed() throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        if (a.lastModifiedTime().equals(lastModified) && a.size() == lastSize) {
            return null;
        }
        String previous = lastText;
        String text = read();
        return text.equals(previous) ? null : text;
    }

    @Override
    public String describe() {
        return "config-file " + path;
    }
}
