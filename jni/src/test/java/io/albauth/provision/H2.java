package io.albauth.provision;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A fresh in-memory H2 database (Debian's libh2-java), and plain SQL to look inside it. */
public final class H2 {
    public final String url = "jdbc:h2:mem:albauth-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    /** The single-column rows of {@code sql}, as strings. */
    public List<String> column(String sql, Object... args) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    public String one(String sql, Object... args) throws SQLException {
        List<String> rows = column(sql, args);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row, got " + rows + " for " + sql);
        }
        return rows.get(0);
    }

    public int update(String sql, Object... args) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    /** The group names {@code username} is a member of, sorted, read from cwd_membership. */
    public List<String> groupsOf(String username) throws SQLException {
        return column("SELECT parent_name FROM cwd_membership WHERE lower_child_name = ? "
                + "AND membership_type = 'GROUP_USER' ORDER BY lower_parent_name", username.toLowerCase());
    }

    public long users() throws SQLException {
        return Long.parseLong(one("SELECT COUNT(*) FROM cwd_user"));
    }
}
