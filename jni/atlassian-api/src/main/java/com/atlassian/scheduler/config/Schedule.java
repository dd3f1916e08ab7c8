package com.atlassian.scheduler.config;

import java.util.Date;

/** Stub of atlassian-scheduler-api 1.6 / 4.x (Jira 9.12, Confluence 8.5) {@code Schedule}: the interval form albauth uses. */
public final class Schedule {
    private final long intervalInMillis;
    private final Date firstRunTime;

    private Schedule(long intervalInMillis, Date firstRunTime) {
        this.intervalInMillis = intervalInMillis;
        this.firstRunTime = firstRunTime;
    }

    public static Schedule forInterval(long intervalInMillis, Date firstRunTime) {
        return new Schedule(intervalInMillis, firstRunTime);
    }

    /** In the real API through {@code getIntervalScheduleInfo()}. */
    public long intervalInMillis() {
        return intervalInMillis;
    }

    public Date firstRunTime() {
        return firstRunTime;
    }
}
