package io.albauth.atlassian;

import com.atlassian.beehive.ClusterLock;
import com.atlassian.beehive.ClusterLockService;
import com.atlassian.sal.api.pluginsettings.PluginSettings;
import com.atlassian.sal.api.pluginsettings.PluginSettingsFactory;
import io.albauth.AlbAuth;
import io.albauth.AlbAuthConfigException;
import io.albauth.ConfigCheck;
import io.albauth.servlet.ConfigSource;
import io.albauth.sync.SyncSchedule;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The app's configuration in SAL's global plugin settings: the database the product keeps for
 * every cluster node. A save bumps a version counter; each node's filter polls the counter
 * (through {@link #source}) and reads the JSON only when it moved, so a change applies on every
 * node within the poll interval, and at once on the node that saved it.
 *
 * <p>Only valid configurations are stored: {@link #save} validates first.
 */
public final class ConfigStore {
    /** The configuration JSON (a String). */
    public static final String CONFIG_KEY = "io.albauth.config";
    /** The version counter (a decimal String: plugin settings store strings). */
    public static final String VERSION_KEY = "io.albauth.config.version";
    /** The id of the dedicated provisioning directory (a decimal String), once chosen or created. */
    public static final String DIRECTORY_KEY = "io.albauth.directory.id";
    /** The full directory sync's schedule ({@link io.albauth.sync.SyncSchedule} syntax), if any. */
    public static final String SCHEDULE_KEY = "io.albauth.sync.schedule";
    /** How often a node looks at the version counter. */
    public static final long DEFAULT_POLL_MILLIS = 5_000;

    private final PluginSettingsFactory factory;
    private final ClusterLockService locks;
    /** Saves made through this object: the node that saved applies its change on the next request. */
    private final AtomicLong localSaves = new AtomicLong();

    /** @param locks the cluster lock service, or null (a single node) */
    public ConfigStore(PluginSettingsFactory factory, ClusterLockService locks) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.locks = locks;
    }

    private PluginSettings settings() {
        return factory.createGlobalSettings();
    }

    /** The saved configuration, or null if none was ever saved. */
    public String configJson() {
        Object v = settings().get(CONFIG_KEY);
        return v instanceof String ? (String) v : null;
    }

    /** The version of the saved configuration: 0 before the first save, then one more per save. */
    public long version() {
        return number(settings().get(VERSION_KEY), 0);
    }

    /**
     * Validates {@code json} with {@link AlbAuth#checkConfig} (the Rust core's validation; the
     * admin page shows its field and message), then stores it and bumps the version.
     *
     * @throws AlbAuthConfigException if the configuration is refused; nothing is stored
     */
    public void save(String json) throws AlbAuthConfigException {
        if (json == null) {
            throw new AlbAuthConfigException("the configuration is empty");
        }
        ConfigCheck check = AlbAuth.checkConfig(json);
        if (!check.ok()) {
            throw new AlbAuthConfigException(check.message());
        }
        try (AlbAuth built = AlbAuth.fromConfigJson(json)) {
            built.provisioningEnabled(); // and it builds, as the filter will build it
        }
        ClusterLock lock = locks == null ? null : locks.getLockForName("io.albauth.config");
        if (lock != null) {
            lock.lock();
        }
        try {
            PluginSettings s = settings();
            long next = number(s.get(VERSION_KEY), 0) + 1;
            s.put(CONFIG_KEY, json);
            s.put(VERSION_KEY, Long.toString(next));
        } finally {
            if (lock != null) {
                lock.unlock();
            }
        }
        localSaves.incrementAndGet();
    }

    /** The dedicated provisioning directory's id, or null when none is chosen yet. */
    public Long directoryId() {
        Object v = settings().get(DIRECTORY_KEY);
        long id = number(v, -1);
        return id < 0 ? null : id;
    }

    /** Makes {@code id} the dedicated provisioning directory (the admin names one, or the app created it). */
    public void useDirectory(long id) {
        settings().put(DIRECTORY_KEY, Long.toString(id));
    }

    /** The full directory sync's schedule as saved ({@code every 6h}, a cron line), or null: not scheduled. */
    public String syncSchedule() {
        Object v = settings().get(SCHEDULE_KEY);
        return v instanceof String && !((String) v).isBlank() ? (String) v : null;
    }

    /**
     * Saves the sync schedule after {@link SyncSchedule#parse} accepted it; null or blank stops
     * scheduled runs.
     *
     * @throws AlbAuthConfigException naming what is wrong with the expression; nothing is stored
     */
    public void saveSyncSchedule(String expression) throws AlbAuthConfigException {
        if (expression == null || expression.isBlank()) {
            settings().remove(SCHEDULE_KEY);
            return;
        }
        try {
            SyncSchedule.parse(expression.trim());
        } catch (IllegalArgumentException e) {
            throw new AlbAuthConfigException("schedule: " + e.getMessage());
        }
        settings().put(SCHEDULE_KEY, expression.trim());
    }

    private static long number(Object v, long dflt) {
        if (!(v instanceof String)) {
            return dflt;
        }
        try {
            return Long.parseLong(((String) v).trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** The filter's view of this store, polling the version every {@code pollMillis}. */
    public ConfigSource source(long pollMillis) {
        return new Source(pollMillis);
    }

    /** Polls the version counter; reads the JSON only when it moved. */
    private final class Source implements ConfigSource {
        private final long intervalNanos;
        private final AtomicLong nextCheck;
        private final AtomicLong seenLocalSaves = new AtomicLong();
        private long lastVersion = -1;
        private String lastJson;

        Source(long pollMillis) {
            intervalNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, pollMillis));
            nextCheck = new AtomicLong(System.nanoTime() + intervalNanos);
        }

        @Override
        public synchronized String read() {
            lastVersion = version();
            lastJson = configJson();
            return lastJson;
        }

        @Override
        public boolean due() {
            long saves = localSaves.get();
            long seen = seenLocalSaves.get();
            if (saves != seen && seenLocalSaves.compareAndSet(seen, saves)) {
                return true;
            }
            long next = nextCheck.get();
            long now = System.nanoTime();
            return now - next >= 0 && nextCheck.compareAndSet(next, now + intervalNanos);
        }

        @Override
        public synchronized String changed() {
            long v = version();
            if (v == lastVersion) {
                return null;
            }
            lastVersion = v;
            String json = configJson();
            if (json == null || json.equals(lastJson)) {
                return null;
            }
            lastJson = json;
            return json;
        }

        @Override
        public String describe() {
            return "the plugin settings (" + CONFIG_KEY + ")";
        }
    }
}
