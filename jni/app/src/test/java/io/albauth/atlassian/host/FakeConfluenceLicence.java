package io.albauth.atlassian.host;

import com.atlassian.confluence.util.UserChecker;
import com.atlassian.event.api.EventPublisher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/** Confluence's {@link UserChecker} (a limit against the users counted) and an {@link EventPublisher} that keeps what it got. */
public final class FakeConfluenceLicence implements UserChecker, EventPublisher {
    private final IntSupplier used;
    private volatile int limit;
    private final List<Object> published = new CopyOnWriteArrayList<>();

    /** @param limit negative: unlimited */
    public FakeConfluenceLicence(IntSupplier used, int limit) {
        this.used = used;
        this.limit = limit;
    }

    @Override
    public int getNumberOfRegisteredUsers() {
        return used.getAsInt();
    }

    @Override
    public boolean hasTooManyUsers() {
        return limit >= 0 && used.getAsInt() > limit;
    }

    @Override
    public boolean isLicensedToAddMoreUsers() {
        return limit < 0 || used.getAsInt() < limit;
    }

    @Override
    public boolean isUnlimitedUserLicense() {
        return limit < 0;
    }

    @Override
    public void incrementRegisteredUserCount() {}

    @Override
    public void resetResult() {}

    @Override
    public void publish(Object event) {
        published.add(event);
    }

    @Override
    public void register(Object listener) {}

    @Override
    public void unregister(Object listener) {}

    /** The events published so far. */
    public List<Object> published() {
        return List.copyOf(published);
    }
}
