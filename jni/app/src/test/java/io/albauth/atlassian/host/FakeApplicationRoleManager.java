package io.albauth.atlassian.host;

import com.atlassian.application.api.ApplicationKey;
import com.atlassian.jira.application.ApplicationRoleManager;
import java.util.function.IntSupplier;

/** Jira's seat count for every application: a limit (negative: unlimited) against the users counted. */
public final class FakeApplicationRoleManager implements ApplicationRoleManager {
    private final IntSupplier used;
    private volatile int limit;

    public FakeApplicationRoleManager(IntSupplier used, int limit) {
        this.used = used;
        this.limit = limit;
    }

    public void setLimit(int limit) {
        this.limit = limit;
    }

    @Override
    public boolean hasSeatsAvailable(ApplicationKey key, int seatCount) {
        return limit < 0 || used.getAsInt() + seatCount <= limit;
    }

    @Override
    public int getRemainingSeats(ApplicationKey key) {
        return limit < 0 ? -1 : Math.max(0, limit - used.getAsInt());
    }

    @Override
    public boolean isRoleLimitExceeded(ApplicationKey role) {
        return limit >= 0 && used.getAsInt() > limit;
    }
}
