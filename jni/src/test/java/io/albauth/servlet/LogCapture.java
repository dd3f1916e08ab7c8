package io.albauth.servlet;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what the filter logs (logger "io.albauth"), formatted; every level while open. */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("io.albauth");
    private final Level savedLevel = logger.getLevel();
    final List<LogRecord> records = new ArrayList<>();

    LogCapture() {
        logger.setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord r) {
        records.add(r);
    }

    synchronized List<String> at(Level level) {
        List<String> out = new ArrayList<>();
        for (LogRecord r : records) {
            if (r.getLevel().equals(level)) {
                out.add(new java.util.logging.SimpleFormatter().formatMessage(r));
            }
        }
        return out;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(savedLevel);
    }
}
