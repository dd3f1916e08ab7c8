package io.albauth.sync;

import io.albauth.provision.DirectoryException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * A {@link SyncLock} that is a row lock in an H2 database (table {@code albauth_lock(name)}):
 * {@link #tryAcquire} opens a connection, turns autocommit off, sets a 100 ms lock timeout and
 * {@code SELECT ... FOR UPDATE}s the row (inserting it first if missing). A lock timeout means
 * another node holds it: null. The lock lives as long as that connection's transaction:
 * {@link Held#close()} rolls back and closes it, and a node that dies loses its connection and
 * so its lock.
 */
public final class JdbcSyncLock implements SyncLock {
    private final String url;

    public JdbcSyncLock(String jdbcUrl) {
        this.url = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    }

    @Override
    public Held tryAcquire(String name) throws DirectoryException {
        Objects.requireNonNull(name, "name");
        Connection c;
        try {
            c = DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw failed("connect", e);
        }
        try {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS albauth_lock (name VARCHAR(255) PRIMARY KEY)");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "MERGE INTO albauth_lock (name) KEY (name) VALUES (?)")) {
                ps.setString(1, name);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState()) && !"HYT00".equals(e.getSQLState())) {
                    throw e; // a duplicate key: another node inserted it at the same moment
                }
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCK_TIMEOUT 100");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM albauth_lock WHERE name = ? FOR UPDATE")) {
                ps.setString(1, name);
                ps.executeQuery().close();
            } catch (SQLException e) {
                if ("HYT00".equals(e.getSQLState()) || "40001".equals(e.getSQLState())) {
                    close(c);
                    return null;
                }
                throw e;
            }
            return () -> {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // closing releases it anyway
                }
                close(c);
            };
        } catch (SQLException e) {
            close(c);
            throw failed("lock", e);
        }
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to release
        }
    }

    private static DirectoryException failed(String what, SQLException e) {
        return new DirectoryException("sync lock: " + what + " failed (SQLState " + e.getSQLState() + ")", e);
    }
}
