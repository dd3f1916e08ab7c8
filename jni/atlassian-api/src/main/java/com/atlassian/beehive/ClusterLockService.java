package com.atlassian.beehive;

/** Stub of Beehive 0.2.x / 4.x {@code ClusterLockService} (Jira 9.12, Confluence 8.5): cluster-wide named locks. */
public interface ClusterLockService {
    ClusterLock getLockForName(String lockName);
}
