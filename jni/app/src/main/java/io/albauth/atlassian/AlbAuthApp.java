package io.albauth.atlassian;

import com.atlassian.beehive.ClusterLockService;
import com.atlassian.crowd.embedded.api.CrowdDirectoryService;
import com.atlassian.crowd.embedded.api.CrowdService;
import com.atlassian.crowd.manager.directory.DirectoryManager;
import com.atlassian.sal.api.auth.AuthenticationListener;
import com.atlassian.sal.api.pluginsettings.PluginSettingsFactory;
import com.atlassian.sal.api.user.UserManager;
import com.atlassian.scheduler.SchedulerService;
import com.atlassian.scheduler.SchedulerServiceException;
import io.albauth.AlbAuth;
import io.albauth.provision.PlanApplier;
import io.albauth.servlet.AlbAuthFilter;
import io.albauth.servlet.RefusalLog;
import io.albauth.sync.SyncJob;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one shared object of the plugin: a Spring bean that both the servlet-filter module
 * ({@link AlbAuthServletFilter}) and the admin servlet receive by constructor. It owns the
 * configuration store, the core filter (with its verifier, refusal log and provisioning
 * applier), the SAL login handler and the Crowd directory, and the full directory sync: its
 * job ({@link #syncJob()}; the admin page runs it in the background, {@link #backgroundSync()})
 * and, with Atlassian Scheduler, the scheduled tick ({@link SyncJobRunner}), whose runner
 * {@link #close()} unregisters on this node (the cluster-wide job stays scheduled).
 */
public class AlbAuthApp {
    /** Actions the full directory sync applies per batch. */
    static final int SYNC_BATCH = 50;
    private static final Logger LOG = Logger.getLogger("io.albauth");
    private final Product product;
    private final ConfigStore configStore;
    private final RefusalLog refusals = new RefusalLog();
    private final AlbAuthFilter filter;
    private final CrowdUserDirectory directory;
    private final SyncJob syncJob;
    private final SyncJobRunner syncRunner;
    private final BackgroundSync backgroundSync;
    /** The scheduler the tick is registered with, until {@link #close()}. */
    private SchedulerService scheduler; // guarded by this

    /**
     * Without a scheduler: the sync runs only when asked ({@link #syncJob()}).
     *
     * @param locks Beehive's cluster locks, or null on a host without them
     */
    public AlbAuthApp(Product product, PluginSettingsFactory settings, UserManager users, CrowdService crowd,
            AuthenticationListener listener, DirectoryManager directories, CrowdDirectoryService directoryService,
            ClusterLockService locks) {
        this(product, settings, users, crowd, listener, directories, directoryService, locks, null,
                ConfigStore.DEFAULT_POLL_MILLIS);
    }

    /** As above, polling the stored configuration's version every {@code pollMillis}. */
    public AlbAuthApp(Product product, PluginSettingsFactory settings, UserManager users, CrowdService crowd,
            AuthenticationListener listener, DirectoryManager directories, CrowdDirectoryService directoryService,
            ClusterLockService locks, long pollMillis) {
        this(product, settings, users, crowd, listener, directories, directoryService, locks, null, pollMillis);
    }

    /**
     * The Spring context's constructor: as the first, and with Atlassian Scheduler the app
     * registers its {@link SyncJobRunner} and schedules the sync's tick
     * ({@code RUN_ONCE_PER_CLUSTER}, every minute, in UTC); {@link #close()} unregisters the
     * runner.
     *
     * @param scheduler Atlassian Scheduler, or null: no scheduled sync
     */
    public AlbAuthApp(Product product, PluginSettingsFactory settings, UserManager users, CrowdService crowd,
            AuthenticationListener listener, DirectoryManager directories, CrowdDirectoryService directoryService,
            ClusterLockService locks, SchedulerService scheduler) {
        this(product, settings, users, crowd, listener, directories, directoryService, locks, scheduler,
                ConfigStore.DEFAULT_POLL_MILLIS);
    }

    /** As above, polling the stored configuration's version every {@code pollMillis}. */
    public AlbAuthApp(Product product, PluginSettingsFactory settings, UserManager users, CrowdService crowd,
            AuthenticationListener listener, DirectoryManager directories, CrowdDirectoryService directoryService,
            ClusterLockService locks, SchedulerService scheduler, long pollMillis) {
        this.product = Objects.requireNonNull(product, "product");
        this.configStore = new ConfigStore(settings, locks);
        this.directory = new CrowdUserDirectory(directories, directoryService, crowd, configStore, product,
                locks);
        this.syncJob = new SyncJob(configStore::configJson, directory, new ClusterSyncLock(locks), SYNC_BATCH);
        this.backgroundSync = new BackgroundSync(syncJob);
        SalLoginHandler handler = new SalLoginHandler(users, crowd, listener, product, this::filter);
        this.filter = AlbAuthFilter.builder()
                .configSource(configStore.source(pollMillis))
                .loginHandler(handler)
                .userDirectory(directory)
                .refusals(refusals)
                .build();
        this.syncRunner = new SyncJobRunner(configStore, settings, () -> syncJob.runOnce(false, false),
                Clock.systemUTC(), ZoneOffset.UTC); // the admin page says cron lines are UTC
        this.scheduler = scheduler == null ? null : schedule(scheduler, syncRunner);
    }

    /** Registers the runner and schedules the tick; the app works on without them if the scheduler refuses. */
    private static SchedulerService schedule(SchedulerService scheduler, SyncJobRunner runner) {
        try {
            runner.register(scheduler);
            return scheduler;
        } catch (SchedulerServiceException | RuntimeException e) {
            LOG.log(Level.WARNING, "albauth: the scheduled directory sync is off: the scheduler refused its job ("
                    + e.getClass().getSimpleName() + ")");
            return null;
        }
    }

    /**
     * Tears the app down (the Spring context's destroy method: the plugin is disabled, upgraded
     * or uninstalled, or the node shuts down): unregisters the sync's runner on this node, and stops
     * the admin page's background runs (one in progress ends on its own). Idempotent. It never
     * unschedules the tick: the job is {@code RUN_ONCE_PER_CLUSTER}, one for the whole cluster,
     * and a node going away must not stop the other nodes' sync; the next start's
     * {@link SyncJobRunner#register} schedules it again, replacing it.
     */
    public void close() {
        backgroundSync.close();
        SchedulerService s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
        }
        if (s != null) {
            try {
                SyncJobRunner.unregister(s);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "albauth: unregistering the directory sync's runner failed: "
                        + e.getClass().getSimpleName());
            }
        }
    }

    /** The scheduled sync's runner (its ticks), registered with the scheduler when there is one. */
    SyncJobRunner syncRunner() {
        return syncRunner;
    }

    /** Where the configuration is stored (every node reads it). */
    public ConfigStore configStore() {
        return configStore;
    }

    /** The verifier in force, or null while the app is not configured yet. */
    public AlbAuth albAuth() {
        return filter.albAuth();
    }

    /** The refusals the filter answered on this node. */
    public RefusalLog refusals() {
        return refusals;
    }

    /** The provisioning applier, or null when provisioning is off or there is no directory. */
    public PlanApplier planner() {
        AlbAuth auth = filter.albAuth();
        return auth == null || !auth.provisioningEnabled() ? null : filter.planApplier();
    }

    /**
     * The name of the directory other than the app's own that holds {@code username} (LDAP, the
     * product's internal directory), or null. Provisioning plans against such a user but never
     * changes them: a plan preview for them is not what a login would apply.
     */
    public String managedElsewhere(String username) throws io.albauth.provision.DirectoryException {
        return directory.otherDirectoryName(username);
    }

    /** "jira" or "confluence". */
    public String product() {
        return product.name();
    }

    /** The product-specific parts. */
    Product productSupport() {
        return product;
    }

    /**
     * The full directory sync of this node: plans through the core, applies to the app's
     * directory, under the cluster lock {@value SyncJob#LOCK} (a node that finds it held skips).
     */
    public SyncJob syncJob() {
        return syncJob;
    }

    /**
     * The admin page's Preview and Run now: {@link #syncJob()} on a background thread, one run at
     * a time on this node, so that no HTTP request waits for a listing.
     */
    public BackgroundSync backgroundSync() {
        return backgroundSync;
    }

    /** The core filter the servlet-filter module delegates to. */
    public AlbAuthFilter filter() {
        return filter;
    }
}
